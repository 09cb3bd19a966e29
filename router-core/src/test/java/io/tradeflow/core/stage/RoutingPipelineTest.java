package io.tradeflow.core.stage;

import static io.tradeflow.core.stage.PipelineFixture.ACCOUNT;
import static io.tradeflow.core.stage.PipelineFixture.KEY;
import static io.tradeflow.core.stage.PipelineFixture.T0;
import static io.tradeflow.core.stage.PipelineFixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradeflow.config.CidrBlock;
import io.tradeflow.config.TrialConfig;
import io.tradeflow.core.alert.KeyHasher;
import io.tradeflow.core.alert.UnifyAlertParser;
import io.tradeflow.core.event.Action;
import io.tradeflow.core.event.BrokerKind;
import io.tradeflow.core.event.ControlType;
import io.tradeflow.core.event.EventType;
import io.tradeflow.core.event.OrderType;
import io.tradeflow.core.event.Outcome;
import io.tradeflow.core.event.RingEvent;
import io.tradeflow.core.event.Side;
import io.tradeflow.core.state.AccountState;
import io.tradeflow.core.testing.Events;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Auth, trial, dispatch and control stages, wired as the ring runs them. */
final class RoutingPipelineTest {
    private static final long DAY = LocalDate.of(2026, 11, 23).toEpochDay();

    private final PipelineFixture f = new PipelineFixture();

    @Test
    void shouldAcceptAValidOpenAndBookThePosition() {
        RingEvent e = f.buy(T0, "EURUSD", 2, 100);

        assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.orderId).isEqualTo(1);
        assertThat(e.accountId).isEqualTo(ACCOUNT);
        assertThat(e.userId).isEqualTo(USER);
        assertThat(e.fillPrice).isEqualTo(100.0);
        assertThat(e.filledQuantity).isEqualTo(2.0);
        assertThat(e.realizedPnl).isZero();
        assertThat(e.positionQuantity).isEqualTo(2.0);
        assertThat(e.positionAveragePrice).isEqualTo(100.0);
        assertThat(e.tradingDay).isEqualTo(DAY);
        assertThat(e.tradesUsed).isEqualTo(1);
        assertThat(f.state.user(USER).tradesUsed()).isEqualTo(1);
        assertThat(f.state.lastOrderId()).isEqualTo(1);
        assertThat(f.account().openPositions()).isEqualTo(1);
        assertThat(f.quantity("EURUSD")).isEqualTo(2.0);
    }

    @Test
    void shouldGiveEachOrderTheNextOrderId() {
        assertThat(f.buy(T0, "EURUSD", 1, 100).orderId).isEqualTo(1);
        assertThat(f.buy(T0 + 1, "GBPUSD", 1, 100).orderId).isEqualTo(2);
        assertThat(f.sell(T0 + 2, "EURUSD", 1, 100).orderId).isEqualTo(3);
        assertThat(f.state.lastOrderId()).isEqualTo(3);
    }

    @Test
    void shouldRealiseProfitOnAPartialClose() {
        f.buy(T0, "EURUSD", 2, 100);

        RingEvent e = f.exit(T0 + 1000, Action.CLOSE, "EURUSD", 1, 110);

        assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.orderId).isEqualTo(2);
        assertThat(e.filledQuantity).isEqualTo(-1.0);
        assertThat(e.realizedPnl).isEqualTo(10.0);
        assertThat(e.dayRealizedPnl).isEqualTo(10.0);
        assertThat(e.positionQuantity).isEqualTo(1.0);
        assertThat(e.positionAveragePrice).isEqualTo(100.0);
        assertThat(e.tradesUsed).isEqualTo(2);
        assertThat(f.account().realizedPnlOn(DAY)).isEqualTo(10.0);
        assertThat(f.account().openPositions()).isEqualTo(1);
    }

    @Test
    void shouldAverageThePriceWhenAddingToAPosition() {
        f.buy(T0, "EURUSD", 1, 100);

        RingEvent e = f.add(T0 + 1, Side.BUY, "EURUSD", 3, 120);

        assertThat(e.positionQuantity).isEqualTo(4.0);
        assertThat(e.positionAveragePrice).isEqualTo(115.0);
        assertThat(e.realizedPnl).isZero();
    }

    @Test
    void shouldExitALongFirstThenOpenTheShortWhenASellArrivesWhileLong() {
        f.buy(T0, "EURUSD", 1, 100);

        RingEvent flip = f.sell(T0 + 1, "EURUSD", 2, 90);

        assertThat(flip.filledQuantity).isEqualTo(-3.0);
        assertThat(flip.realizedPnl).isEqualTo(-10.0);
        assertThat(flip.positionQuantity).isEqualTo(-2.0);
        assertThat(flip.positionAveragePrice).isEqualTo(90.0);
        assertThat(f.account().openPositions()).isEqualTo(1);

        RingEvent cover = f.exit(T0 + 2, Action.CLOSE, "EURUSD", 80);

        assertThat(cover.realizedPnl).isEqualTo(20.0);
        assertThat(cover.positionQuantity).isZero();
        assertThat(cover.positionAveragePrice).isZero();
        assertThat(cover.dayRealizedPnl).isEqualTo(10.0);
        assertThat(f.account().openPositions()).isZero();
    }

    @Test
    void shouldReverseALongIntoAShortOfTheAlertQuantity() {
        f.buy(T0, "EURUSD", 1, 100);
        RingEvent reverse = Events.intent(new RingEvent(), KEY, T0 + 1, Action.REVERSE, Side.SELL, "EURUSD", 1, 105);

        f.process(reverse);

        assertThat(reverse.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(reverse.filledQuantity).isEqualTo(-2.0);
        assertThat(reverse.realizedPnl).isEqualTo(5.0);
        assertThat(reverse.positionQuantity).isEqualTo(-1.0);
        assertThat(reverse.positionAveragePrice).isEqualTo(105.0);
    }

    @Test
    void shouldCloseTheWholePositionAtTheAlertPrice() {
        f.buy(T0, "EURUSD", 3, 100);

        RingEvent close = f.exit(T0 + 1, Action.CLOSE, "EURUSD", 95);

        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.orderId).isEqualTo(2);
        assertThat(close.filledQuantity).isEqualTo(-3.0);
        assertThat(close.realizedPnl).isEqualTo(-15.0);
        assertThat(close.positionQuantity).isZero();
        assertThat(f.account().openPositions()).isZero();
    }

    @Test
    void shouldCloseOnlyTheMatchingSideWithCloseLongAndCloseShort() {
        f.sell(T0, "EURUSD", 2, 100);

        RingEvent closeLong = f.exit(T0 + 1, Action.CLOSE_LONG, "EURUSD", 90);
        assertThat(closeLong.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(closeLong.orderId).isZero();
        assertThat(f.quantity("EURUSD")).isEqualTo(-2.0);

        RingEvent closeShort = f.exit(T0 + 2, Action.CLOSE_SHORT, "EURUSD", 90);
        assertThat(closeShort.orderId).isEqualTo(2);
        assertThat(closeShort.filledQuantity).isEqualTo(2.0);
        assertThat(closeShort.realizedPnl).isEqualTo(20.0);
        assertThat(f.quantity("EURUSD")).isZero();
    }

    @Test
    void shouldAcceptACloseWhenFlatWithoutPlacingAnOrder() {
        RingEvent e = f.exit(T0, Action.CLOSE, "EURUSD", 100);

        assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.orderId).isZero();
        assertThat(e.filledQuantity).isZero();
        assertThat(f.state.lastOrderId()).isZero();
        assertThat(f.state.user(USER).tradesUsed()).isZero();
    }

    @Test
    void shouldFillAtTheLastSeenPriceWhenTheAlertCarriesNone() {
        f.buy(T0, "EURUSD", 1, 101.5);

        RingEvent close = f.exit(T0 + 1, Action.CLOSE, "EURUSD", 0);

        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.fillPrice).isEqualTo(101.5);
        assertThat(close.realizedPnl).isZero();
    }

    @Test
    void shouldRefuseAnOrderWithoutAnyPriceForTheSymbol() {
        RingEvent e = f.buy(T0, "EURUSD", 1, 0);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("price");
        assertThat(e.orderId).isZero();
    }

    @Test
    void shouldRefuseALimitWithoutPriceAndAnswerModifyWithoutPosition() {
        RingEvent limit = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100);
        limit.orderType = OrderType.LIMIT;
        f.process(limit);
        RingEvent exitLimit = Events.exit(KEY, T0, Action.CLOSE, "EURUSD", 100);
        exitLimit.orderType = OrderType.LIMIT;
        exitLimit.orderPrice = 101;
        f.process(exitLimit);
        RingEvent modify = f.exit(T0 + 1, Action.MODIFY, "EURUSD", 100);

        assertThat(limit.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(limit.field).isEqualTo("price");
        assertThat(exitLimit.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(exitLimit.field).isEqualTo("type");
        assertThat(modify.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(modify.orderId).isZero();
        assertThat(modify.reason).isEqualTo("no open position to modify");
        assertThat(f.state.lastOrderId()).isZero();
    }

    @Test
    void shouldRefuseAnAccountWhoseBrokerHasNoVenue() {
        f.state.putAccount(8, USER, BrokerKind.MTX, true, T0, false, 0);
        f.state.keys().add(KeyHasher.sha256("tf_mtx_key"), 8);

        RingEvent e = f.process(Events.open("tf_mtx_key", T0, Side.BUY, "EURUSD", 1, 100));

        assertThat(e.outcome).isEqualTo(Outcome.BROKER_ERROR);
        assertThat(e.field).isEqualTo("broker");
    }

    @Test
    void shouldRefuseAnUnknownKey() {
        RingEvent e = f.process(Events.open("tf_not_a_key_we_know", T0, Side.BUY, "EURUSD", 1, 100));

        assertThat(e.outcome).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(e.outcome.httpStatus()).isEqualTo(401);
        assertThat(e.field).isEqualTo("api_key");
        assertThat(e.accountId).isZero();
        assertThat(f.state.lastOrderId()).isZero();
    }

    @Test
    void shouldRefuseAnAlertWithoutKey() {
        RingEvent e = f.process(Events.open(null, T0, Side.BUY, "EURUSD", 1, 100));

        assertThat(e.outcome).isEqualTo(Outcome.UNAUTHORIZED);
        assertThat(e.field).isEqualTo("api_key");
        assertThat(e.reason).contains("missing");
    }

    @Test
    void shouldRefuseAnAlertFromOutsideTheAccountsAllowedSourcesBeforeLookingAtItsPayload() {
        RingEvent list = Events.control(new RingEvent(), T0, ControlType.SOURCE_ALLOWLIST, ACCOUNT, USER);
        list.controlAllowedSources = List.of(CidrBlock.parse("10.0.0.0/8").orElseThrow());
        assertThat(f.process(list).outcome).isEqualTo(Outcome.ACCEPTED);

        RingEvent outside = Events.open(KEY, T0 + 1, Side.BUY, "EURUSD", 1, 100);
        outside.source(new byte[]{127, 0, 0, 1});
        outside.reject(Outcome.INVALID_PAYLOAD, "intent.qty", "as if the body were malformed");
        RingEvent unknown = Events.open(KEY, T0 + 2, Side.BUY, "EURUSD", 1, 100);
        RingEvent inside = Events.open(KEY, T0 + 3, Side.BUY, "EURUSD", 1, 100);
        inside.source(new byte[]{10, 1, 2, 3});

        assertThat(f.process(outside).outcome).isEqualTo(Outcome.SOURCE_NOT_ALLOWED);
        assertThat(outside.field).isEqualTo("source");
        assertThat(outside.outcome.httpStatus()).isEqualTo(403);
        assertThat(outside.accountId).isEqualTo(ACCOUNT);
        assertThat(f.process(unknown).outcome).as("an unknown address is outside any list")
                .isEqualTo(Outcome.SOURCE_NOT_ALLOWED);
        assertThat(f.process(inside).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.quantity("EURUSD")).isEqualTo(1.0);

        RingEvent cleared = Events.control(new RingEvent(), T0 + 4, ControlType.SOURCE_ALLOWLIST, ACCOUNT, USER);
        cleared.controlAllowedSources = List.of();
        f.process(cleared);
        assertThat(f.process(Events.open(KEY, T0 + 5, Side.BUY, "GBPUSD", 1, 100)).outcome)
                .as("an empty list accepts any address, even an unknown one").isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldRefuseADisabledAccount() {
        f.state.enableAccount(ACCOUNT, false);

        RingEvent e = f.buy(T0, "EURUSD", 1, 100);

        assertThat(e.outcome).isEqualTo(Outcome.ACCOUNT_DISABLED);
        assertThat(e.outcome.httpStatus()).isEqualTo(403);
        assertThat(e.accountId).isEqualTo(ACCOUNT);
        assertThat(f.quantity("EURUSD")).isZero();
    }

    @Test
    void shouldRefuseABrokerInThePathThatIsNotTheKeysBroker() {
        RingEvent e = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100);
        e.requestedBroker = BrokerKind.TRADELOCKER;

        f.process(e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("broker");
    }

    @Test
    void shouldAcceptABrokerInThePathThatIsTheKeysBroker() {
        RingEvent e = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100);
        e.requestedBroker = BrokerKind.PAPER;

        assertThat(f.process(e).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldKeepAParserRefusalButAttributeItToTheAccount() {
        RingEvent e = Events.open(KEY, T0, Side.BUY, "EURUSD", 1, 100);
        e.reject(Outcome.INVALID_PAYLOAD, "intent.qty", "must be a number");

        f.process(e);

        assertThat(e.outcome).isEqualTo(Outcome.INVALID_PAYLOAD);
        assertThat(e.field).isEqualTo("intent.qty");
        assertThat(e.accountId).isEqualTo(ACCOUNT);
        assertThat(f.state.lastOrderId()).isZero();
    }

    @Test
    void shouldRefuseEntriesOnceTheTrialTradesAreUsed() {
        PipelineFixture trial = new PipelineFixture(new TrialConfig(2, Duration.ofDays(3)), true, T0);

        assertThat(trial.buy(T0 + 1, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(trial.buy(T0 + 2, "GBPUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
        RingEvent third = trial.buy(T0 + 3, "USDJPY", 1, 100);

        assertThat(third.outcome).isEqualTo(Outcome.TRIAL_LIMIT);
        assertThat(third.outcome.httpStatus()).isEqualTo(403);
        assertThat(trial.state.user(USER).tradesUsed()).isEqualTo(2);

        RingEvent close = trial.exit(T0 + 4, Action.CLOSE, "EURUSD", 101);
        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.orderId).isPositive();
        assertThat(trial.quantity("EURUSD")).isZero();
    }

    @Test
    void shouldRefuseEntriesWhenTheTrialStartedTooLongAgo() {
        long threeDays = Duration.ofDays(3).toMillis();
        PipelineFixture expired = new PipelineFixture(new TrialConfig(100, Duration.ofDays(3)), true, T0 - threeDays);
        PipelineFixture lastMillisecond = new PipelineFixture(new TrialConfig(100, Duration.ofDays(3)), true, T0 - threeDays + 1);

        RingEvent e = expired.buy(T0, "EURUSD", 1, 100);

        assertThat(e.outcome).isEqualTo(Outcome.TRIAL_EXPIRED);
        assertThat(lastMillisecond.buy(T0, "EURUSD", 1, 100).outcome).isEqualTo(Outcome.ACCEPTED);
    }

    @Test
    void shouldStillAllowClosesAfterTheTrialEnds() {
        PipelineFixture trial = new PipelineFixture(new TrialConfig(100, Duration.ofDays(3)), true, T0);
        trial.buy(T0 + 1, "EURUSD", 2, 100);
        long afterTrial = T0 + Duration.ofDays(4).toMillis();

        RingEvent entry = trial.buy(afterTrial, "EURUSD", 1, 100);
        RingEvent close = trial.exit(afterTrial + 1, Action.CLOSE, "EURUSD", 105);

        assertThat(entry.outcome).isEqualTo(Outcome.TRIAL_EXPIRED);
        assertThat(close.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(close.realizedPnl).isEqualTo(10.0);
        assertThat(trial.quantity("EURUSD")).isZero();
    }

    @Test
    void shouldNotLimitUsersOffTheTrialPlan() {
        f.state.putAccount(ACCOUNT, USER, BrokerKind.PAPER, true, T0 - Duration.ofDays(400).toMillis(), false, 5000);

        RingEvent e = f.buy(T0, "EURUSD", 1, 100);

        assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.tradesUsed).isEqualTo(5001);
    }

    @Test
    void shouldApplyControlEventsInRingOrder() {
        PipelineFixture empty = new PipelineFixture();
        RingEvent added = empty.process(Events.accountAdded(new RingEvent(), T0, 21, 210, BrokerKind.PAPER, true,
                T0 - 1000, true, 3));
        assertThat(added.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(added.accountId).isEqualTo(21);
        assertThat(added.userId).isEqualTo(210);
        AccountState account = empty.state.account(21);
        assertThat(account).isNotNull();
        assertThat(account.broker()).isEqualTo(BrokerKind.PAPER);
        assertThat(account.enabled()).isTrue();
        assertThat(account.user().userId()).isEqualTo(210);
        assertThat(account.user().onTrial()).isTrue();
        assertThat(account.user().signupAtMillis()).isEqualTo(T0 - 1000);
        assertThat(account.user().tradesUsed()).isEqualTo(3);

        String key = "tf_control_key_0001";
        assertThat(empty.process(Events.open(key, T0 + 1, Side.BUY, "EURUSD", 1, 100)).outcome)
                .isEqualTo(Outcome.UNAUTHORIZED);

        empty.process(Events.key(new RingEvent(), T0 + 2, ControlType.KEY_ADDED, 21, 210, key));
        assertThat(empty.state.keys().accountFor(KeyHasher.sha256(key))).isEqualTo(21);
        RingEvent accepted = empty.process(Events.open(key, T0 + 3, Side.BUY, "EURUSD", 1, 100));
        assertThat(accepted.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(accepted.accountId).isEqualTo(21);
        assertThat(accepted.tradesUsed).isEqualTo(4);

        empty.process(Events.control(new RingEvent(), T0 + 4, ControlType.ACCOUNT_DISABLED, 21, 210));
        assertThat(account.enabled()).isFalse();
        assertThat(empty.process(Events.open(key, T0 + 5, Side.BUY, "EURUSD", 1, 100)).outcome)
                .isEqualTo(Outcome.ACCOUNT_DISABLED);

        empty.process(Events.control(new RingEvent(), T0 + 6, ControlType.ACCOUNT_ENABLED, 21, 210));
        assertThat(account.enabled()).isTrue();

        empty.process(Events.emergencyStop(new RingEvent(), T0 + 7, 210, true));
        assertThat(account.user().emergencyStop()).isTrue();
        RingEvent stopped = empty.process(Events.open(key, T0 + 8, Side.BUY, "EURUSD", 1, 100));
        assertThat(stopped.outcome).isEqualTo(Outcome.RISK_REJECTED);
        assertThat(stopped.field).isEqualTo(RiskStage.RULE_EMERGENCY_STOP);

        empty.process(Events.emergencyStop(new RingEvent(), T0 + 9, 210, false));
        assertThat(account.user().emergencyStop()).isFalse();
        assertThat(empty.process(Events.add(key, T0 + 10, Side.BUY, "EURUSD", 1, 100)).outcome)
                .isEqualTo(Outcome.ACCEPTED);

        RingEvent revoked = empty.process(Events.key(new RingEvent(), T0 + 11, ControlType.KEY_REVOKED, 21, 210, key));
        assertThat(revoked.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(empty.state.keys().accountFor(KeyHasher.sha256(key))).isZero();
        assertThat(empty.process(Events.open(key, T0 + 12, Side.BUY, "EURUSD", 1, 100)).outcome)
                .isEqualTo(Outcome.UNAUTHORIZED);
    }

    @Test
    void shouldKeepPositionsAndTheHigherTradeCountWhenAnAccountIsAddedAgain() {
        f.buy(T0, "EURUSD", 1, 100);
        f.add(T0 + 1, Side.BUY, "EURUSD", 1, 100);

        f.process(Events.accountAdded(new RingEvent(), T0 + 2, ACCOUNT, USER, BrokerKind.PAPER, true, T0, false, 1));

        assertThat(f.state.user(USER).tradesUsed()).isEqualTo(2);
        assertThat(f.account().openPositions()).isEqualTo(1);
        assertThat(f.quantity("EURUSD")).isEqualTo(2.0);
    }

    @Test
    void shouldRouteAnAlertParsedFromATradingViewBody() {
        String body = "{\"version\":\"unify.v1\",\"api_key\":\"" + KEY + "\",\"intent\":{\"broker\":\"paper\","
                + "\"side\":\"Sell\",\"symbol\":\"eurusd\",\"qty\":\"2\",\"price\":\"1.0854\"}}\n";
        RingEvent e = new RingEvent();
        e.receivedAtMillis = T0;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        new UnifyAlertParser(new KeyHasher()).parse(bytes, 0, bytes.length, e);

        f.process(e);

        assertThat(e.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(e.accountId).isEqualTo(ACCOUNT);
        assertThat(e.filledQuantity).isEqualTo(-2.0);
        assertThat(e.fillPrice).isEqualTo(1.0854);
        assertThat(f.quantity("EURUSD")).isEqualTo(-2.0);
    }

    @Test
    void shouldAcceptEventsOfOtherTypesWithoutChangingState() {
        RingEvent timer = new RingEvent();
        timer.type = EventType.TIMER;
        timer.receivedAtMillis = T0;

        f.process(timer);

        assertThat(timer.outcome).isEqualTo(Outcome.ACCEPTED);
        assertThat(f.state.lastOrderId()).isZero();
    }
}
