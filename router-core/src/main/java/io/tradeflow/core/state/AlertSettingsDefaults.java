package io.tradeflow.core.state;

import io.tradeflow.config.AlertSettings;

import java.time.Duration;
import java.util.Map;

/** The alert settings reference.conf ships, for states built without a loaded config (tests, tools). */
public final class AlertSettingsDefaults {
    /** No pyramiding, no duplicate window, no signal age limit, keys kept 24 h, no symbol map. */
    public static final AlertSettings NONE = new AlertSettings(1, Duration.ZERO, Duration.ZERO, Duration.ofHours(24),
            Map.of(), "");

    private AlertSettingsDefaults() {
    }
}
