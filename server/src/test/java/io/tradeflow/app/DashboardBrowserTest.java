package io.tradeflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradeflow.service.security.Totp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web dashboard in a real headless Chromium (Debian's chromium and chromium-driver, driven by
 * Selenium without Selenium Manager: nothing is downloaded) against the real server: a new trader
 * signs up, connects a paper account, copies the key and the alert template, sends an alert over
 * HTTP and watches it appear as a position without reloading, closes it, sets a risk rule that
 * refuses the next alert and reads why in the webhook log, presses Emergency Stop; an admin then
 * finds the trader and impersonates them. Every request the browser made must have gone to
 * TradeFlow itself, and the console must hold no error (a CSP violation would be one).
 *
 * <p>Screenshots of each main page at desktop (1366) and phone (390) width go to
 * {@code target/screenshots/} ({@code docs/screenshots/} holds the committed copies).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRADER = "trader@example.com";
    private static final String ADMIN = "admin@example.com";
    private static final String PASSWORD = "a long enough password";
    /** A label that would be markup if the page ever rendered user text as HTML. */
    private static final String LABEL = "Main <b>paper</b> & co";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profileDir;

    private static TradeFlowServer server;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String origin;
    private static TestClient alerts;
    private static Path screenshots;
    private static final List<String> REQUESTED_URLS = new ArrayList<>();
    private static final List<String> CONSOLE_ERRORS = new ArrayList<>();

    private static String apiKey;
    private static String webhookUrl;
    private static String unifyTemplate;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(dataDir, Map.of());
        origin = "http://127.0.0.1:" + server.port();
        alerts = new TestClient(server.port());
        screenshots = Paths.get("target", "screenshots");
        Files.createDirectories(screenshots);

        // Debian's driver and browser, never Selenium Manager (which would download both).
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1366,900",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL", LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", origin,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    // ------------------------------------------------------------------ the trader's journey

    @Test
    @Order(1)
    void shouldSignUpAndConnectAPaperAccountShowingTheKeyOnce() throws Exception {
        browser.get(origin + "/");
        click(By.linkText("Create an account"));
        type(By.cssSelector("[data-field=email] input"), TRADER);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        screenshot("signup");
        click(By.cssSelector("form button[type=submit]"));

        By empty = By.cssSelector("#page-accounts .empty");
        assertThat(text(empty)).contains("No accounts yet", "Connect a paper account");
        visible(By.id("trial-banner"));
        assertThat(text(By.id("trial-banner"))).contains("trades", "left").contains("Upgrade");
        screenshot("accounts-empty");

        type(By.cssSelector("#connect [data-field=label] input"), LABEL);
        click(By.id("register-submit"));
        visible(By.id("new-key"));
        apiKey = browser.findElement(By.cssSelector("#new-key .copy-field input.mono")).getDomProperty("value");
        assertThat(apiKey).startsWith("tf_");
        // The label is shown as text, never as markup.
        assertThat(text(By.id("new-key-title"))).contains(LABEL);
        assertThat(browser.findElements(By.cssSelector("#app b"))).isEmpty();

        // Copy buttons put exactly the key, the URL and the template on the clipboard.
        click(By.cssSelector("#new-key [data-copy=api-key]"));
        assertThat(clipboard()).isEqualTo(apiKey);
        click(By.cssSelector("#new-key [data-copy=webhook-url]"));
        webhookUrl = clipboard();
        assertThat(webhookUrl).isEqualTo(origin + "/api/unify/v1/webhook?key=" + apiKey);
        click(By.cssSelector("#new-key [data-copy=template-unify]"));
        unifyTemplate = clipboard();
        assertThat(unifyTemplate).contains("\"version\":\"unify.v1\"", "{{ticker}}", "{{close}}");
        click(By.cssSelector("#new-key [data-copy=template-pine]"));
        assertThat(clipboard()).startsWith(apiKey + ",{{strategy.order.action}},{{ticker}}");
        assertThat(browser.findElements(By.cssSelector("#new-key [data-copy=template-traderspost]"))).hasSize(1);
        screenshot("accounts-new-key");

        click(By.id("secret-done"));
        // Once stored, the key is never shown again: only its prefix.
        wait.until(d -> d.findElements(By.id("new-key")).isEmpty());
        assertThat(text(By.cssSelector("article.account h2"))).isEqualTo(LABEL);
        assertThat(text(By.tagName("body"))).doesNotContain(apiKey);
        screenshot("accounts");
    }

    @Test
    @Order(2)
    void shouldShowAnAlertSentWithTheCopiedTemplateAsALivePositionAndCloseIt() {
        click(By.cssSelector("a[data-nav=positions]"));
        visible(By.cssSelector("#page-positions .empty"));
        ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");

        // What TradingView would send: the copied template with its placeholders filled, to the copied URL.
        String alert = unifyTemplate.replace("{{ticker}}", "EURUSD")
                .replace("{{timenow}}", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .replace("{{strategy.order.action}}", "buy").replace("{{strategy.order.contracts}}", "1").replace("{{close}}", "1.0854");
        TestClient.Answer answer = alerts.postAlert(webhookUrl.substring(origin.length()), alert, null, "text/plain");
        assertThat(answer.status()).as("%s", answer.body()).isEqualTo(200);

        By row = By.cssSelector("#page-positions tr[data-row$=':EURUSD']");
        assertThat(text(row)).contains("EURUSD", "long");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"))
                .as("the position appeared without a reload").isEqualTo(true);
        screenshot("positions");

        click(By.cssSelector("button[data-close=EURUSD]"));
        click(By.id("confirm-ok"));
        By empty = By.cssSelector("#page-positions .empty");
        assertThat(text(empty)).contains("No open positions");

        click(By.cssSelector("a[data-nav=orders]"));
        visible(By.cssSelector("#page-orders table"));
        assertThat(browser.findElements(By.cssSelector("#page-orders tbody tr"))).hasSize(2);
        screenshot("orders");

        // The live stream, not polling: once shown, the page fetches nothing until the server pushes a change.
        assertThat(text(By.cssSelector("#live-indicator[data-status=live]"))).isEqualTo("Live");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        js.executeScript("window.__fetches = 0; const f = window.fetch;"
                + " window.fetch = (...a) => { window.__fetches++; return f(...a); };");
        sleep(6000); // longer than the old 5 s polling interval of this page
        assertThat(((Number) js.executeScript("return window.__fetches;")).intValue()).as("requests while idle").isZero();
        TestClient.Answer fill = alerts.alert(apiKey, TestClient.buy("EURUSD", 2, 1.0860));
        assertThat(fill.status()).as("%s", fill.body()).isEqualTo(200);
        wait.until(d -> d.findElements(By.cssSelector("#page-orders tbody tr")).size() == 3);
        assertThat(text(By.cssSelector("#page-orders tbody tr:first-child"))).contains("EURUSD", "buy", "filled");
        assertThat(((Number) js.executeScript("return window.__fetches;")).intValue()).as("fetched after the push").isPositive();
        assertThat(js.executeScript("return window.__sameDocument === true;")).as("no reload").isEqualTo(true);
        screenshot("orders-live");
        // Flat again for the pages after this one.
        assertThat(alerts.alert(apiKey, TestClient.close("EURUSD", 2, 1.0870)).status()).isEqualTo(200);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Order(3)
    void shouldShowTheServersFieldErrorInlineAndRefuseTheNextAlertWithTheReasonInTheLog() {
        click(By.cssSelector("a[data-nav=risk]"));
        WebElement maxQuantity = visible(By.cssSelector("#risk-form [data-field=max_quantity] input"));
        wait.until(d -> !maxQuantity.getDomProperty("value").isEmpty());
        type(By.cssSelector("#risk-form [data-field=trading_hours] input"), "25:00-99:00");
        click(By.cssSelector("#risk-form button[type=submit]"));
        By hoursError = By.cssSelector("#risk-form [data-field=trading_hours] .field-error");
        assertThat(text(hoursError)).contains("trading_hours");
        screenshot("risk-error");

        type(By.cssSelector("#risk-form [data-field=trading_hours] input"), "");
        type(By.cssSelector("#risk-form [data-field=max_quantity] input"), "0.5");
        click(By.cssSelector("#risk-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#risk-form .saved"), "Saved"));
        screenshot("risk");

        TestClient.Answer refused = alerts.postAlert("/api/unify/v1/webhook", TestClient.buy("EURUSD", 1, 1.0860), apiKey,
                "application/json");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.errorCode()).isEqualTo("RISK_REJECTED");

        click(By.cssSelector("a[data-nav=log]"));
        By entry = By.cssSelector("#page-log .log-entry[data-outcome=RISK_REJECTED]");
        assertThat(text(entry)).contains("RISK_REJECTED", "max_quantity", "risk control refused this entry", "maximum quantity");
        assertThat(browser.findElements(By.cssSelector("#page-log .log-entry[data-outcome=ACCEPTED]"))).isNotEmpty();

        new Select(browser.findElement(By.cssSelector("#page-log [data-field=outcome] select"))).selectByValue("ACCEPTED");
        click(By.cssSelector("#page-log .filters button[type=submit]"));
        wait.until(d -> d.findElements(By.cssSelector("#page-log .log-entry[data-outcome=RISK_REJECTED]")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("#page-log .log-entry[data-outcome=ACCEPTED]"))).isNotEmpty();
        new Select(browser.findElement(By.cssSelector("#page-log [data-field=outcome] select"))).selectByValue("");
        click(By.cssSelector("#page-log .filters button[type=submit]"));
        visible(By.cssSelector("#page-log .log-entry[data-outcome=RISK_REJECTED]"));
        screenshot("webhook-log");
    }

    @Test
    @Order(4)
    void shouldEditTheSymbolMapInTheAlertSettings() {
        click(By.cssSelector("a[data-nav=alerts]"));
        visible(By.cssSelector("#alert-settings-form [data-field=pyramiding] input"));
        click(By.id("map-add"));
        type(By.cssSelector("#alert-settings-form .map-row:last-child .map-ticker"), "NQ1!");
        type(By.cssSelector("#alert-settings-form .map-row:last-child .map-instrument"), "MNQ");
        click(By.cssSelector("#alert-settings-form button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#alert-settings-form .saved"), "Saved"));
        screenshot("alert-settings");
    }

    @Test
    @Order(5)
    void shouldPressEmergencyStopAfterConfirmingAndOfferItsResetThenShowTheProfitInAnalytics() {
        click(By.cssSelector("a[data-nav=positions]"));
        TestClient.Answer open = alerts.postAlert("/api/unify/v1/webhook", TestClient.buy("XAUUSD", 0.1, 2000), apiKey, "application/json");
        assertThat(open.status()).as("%s", open.body()).isEqualTo(200);
        // A second entry at a higher price moves the last price: the stop closes the position with a profit.
        assertThat(alerts.postAlert("/api/unify/v1/webhook", TestClient.buy("XAUUSD", 0.1, 2015), apiKey, "application/json")
                .status()).isEqualTo(200);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#page-positions tr[data-row$=':XAUUSD']"), "0.2"));

        click(By.id("emergency-stop"));
        visible(By.cssSelector("dialog.confirm"));
        screenshot("emergency-stop-confirm");
        click(By.id("confirm-ok"));
        By banner = By.id("stop-banner");
        assertThat(text(banner)).contains("Emergency stop is active");
        visible(By.cssSelector("#page-positions .empty"));
        assertThat(browser.findElement(By.id("emergency-stop")).isEnabled()).isFalse();
        TestClient.Answer blocked = alerts.postAlert("/api/unify/v1/webhook", TestClient.buy("EURUSD", 0.1, 1.0860), apiKey,
                "application/json");
        assertThat(blocked.status()).isEqualTo(403);
        screenshot("emergency-stop-active");

        click(By.id("stop-reset"));
        wait.until(d -> d.findElements(By.id("stop-banner")).isEmpty());
        assertThat(browser.findElement(By.id("emergency-stop")).isEnabled()).isTrue();

        click(By.cssSelector("a[data-nav=analytics]"));
        By summary = By.cssSelector("#page-analytics .summary");
        assertThat(text(summary)).contains("Trades", "Net P&L", "Win rate");
        // winRate comes in percent (100.0 for the one profitable close): shown as 100 %, not scaled again.
        assertThat(text(summary)).contains("100%").doesNotContain("10,000");
        visible(By.cssSelector("#page-analytics svg.chart rect.bar-pos"));
        assertThat(text(By.cssSelector("#page-analytics"))).contains("XAUUSD", "EURUSD");
        screenshot("analytics");
    }

    @Test
    @Order(6)
    void shouldShowBrokerFieldErrorsInlineAndConnectAMetaTraderAccountWithItsEaThenDeleteIt() throws Exception {
        click(By.cssSelector("a[data-nav=accounts]"));
        click(By.cssSelector("label[for=broker-tradelocker]"));
        click(By.id("register-submit"));
        By emailError = By.cssSelector("#connect [data-field='credentials.email'] .field-error");
        assertThat(text(emailError)).contains("credentials.email is required");
        screenshot("accounts-tradelocker-error");

        click(By.cssSelector("label[for=broker-mtx]"));
        type(By.cssSelector("#connect [data-field=label] input"), "MT5 demo");
        type(By.cssSelector("#connect [data-field='credentials.account_number'] input"), "12345678");
        type(By.cssSelector("#connect [data-field='credentials.server'] input"), "Broker-Demo");
        click(By.id("register-submit"));
        visible(By.cssSelector("#new-key [data-copy=license-token]"));
        WebElement download = browser.findElement(By.cssSelector("#new-key a[download='TradeFlowBridge.mq5']"));
        ApiClient.Answer ea = new ApiClient(server.port()).get("!" + download.getDomAttribute("href"), null);
        assertThat(ea.status()).isEqualTo(200);
        assertThat(ea.raw()).contains("LicenseToken");
        screenshot("accounts-metatrader");
        click(By.id("secret-done"));

        By card = By.xpath("//article[contains(@class,'account')][.//h2[text()='MT5 demo']]");
        click(By.xpath("//article[contains(@class,'account')][.//h2[text()='MT5 demo']]//button[@data-action='delete']"));
        click(By.id("confirm-ok"));
        wait.until(d -> d.findElements(card).isEmpty());
        assertThat(browser.findElements(By.cssSelector("article.account"))).hasSize(1);
    }

    @Test
    @Order(7)
    void shouldFollowAMasterShowTheLicenseTokenOnceAndPauseTheSubscription() {
        // Another user publishes a master through the API; the trader follows it from the dashboard.
        ApiClient api = new ApiClient(server.port());
        String masterToken = api.newUser("master@example.com");
        ApiClient.Answer account = api.post("/register/paper", null, masterToken);
        String masterKey = account.body().path("api_key").asText();
        assertThat(api.post("/masters", "{\"account_id\":" + account.body().path("account").path("id").asLong()
                + ",\"name\":\"London breakout\"}", masterToken).status()).isEqualTo(201);

        click(By.cssSelector("a[data-nav=copy]"));
        visible(By.cssSelector("#follow-master [data-field=master_id] select"));
        type(By.cssSelector("#follow-master [data-field=size] input"), "2");
        type(By.cssSelector("#follow-master [data-field=symbol_map] input"), "EURUSD=EURUSD.M");
        click(By.cssSelector("#follow-master button[type=submit]"));
        assertThat(visible(By.cssSelector("#license-token input")).getAttribute("value")).startsWith("tf_lic_");
        assertThat(text(By.cssSelector(".copy-follower table"))).contains("London breakout").contains("EURUSD→EURUSD.M")
                .contains("active");
        screenshot("copy-trading");

        click(By.cssSelector(".copy-follower button[data-action=pause]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".copy-follower table"), "paused"));
        assertThat(browser.findElements(By.cssSelector("#license-token"))).as("the token is shown once").isEmpty();
        // The master's alert: the paused trader's copy is refused and shown as a protection event.
        assertThat(alerts.alert(masterKey, TestClient.buy("EURUSD", 1, 1.0849)).status()).isEqualTo(200);
        wait.until(d -> {
            // The projection writes the event shortly after the answer: reload until the page shows it.
            d.navigate().refresh();
            new WebDriverWait(d, Duration.ofSeconds(10))
                    .until(ExpectedConditions.visibilityOfElementLocated(By.id("protection-events")));
            return !d.findElements(By.cssSelector("#protection-events table")).isEmpty();
        });
        assertThat(text(By.cssSelector("#protection-events"))).contains("Subscription paused (ACCOUNT_DISABLED/subscription)");
        screenshot("copy-trading-paused");
        groupFromBothSides(api, masterToken, masterKey);
    }

    /**
     * Groups: the master (on pro, which may lead) creates a group; the trader opens its invite link (the
     * code is filled in), joins under an alias and resumes copying; after the master's profitable round
     * trip the master's panel shows the member by alias with its net profit and the fee owed.
     */
    private void groupFromBothSides(ApiClient api, String masterToken, String masterKey) {
        org.jdbi.v3.core.Jdbi jdbi = server.database().jdbi();
        long masterUser = jdbi.withHandle(h -> h.createQuery("select id from users where email = 'master@example.com'")
                .mapTo(Long.class).one());
        server.billing().changePlan(masterUser, io.tradeflow.config.PlanTier.PRO, false, null);
        long masterId = api.get("/masters", masterToken).body().path("masters").get(0).path("master_id").asLong();
        JsonNode group = api.post("/groups", "{\"master_id\":" + masterId + ",\"name\":\"VIP room\",\"fee_percent\":20}",
                masterToken).body();
        String code = group.path("invite_code").asText();

        browser.get(origin + "/#/copy?join=" + code);
        By codeInput = By.cssSelector("#join-group [data-field=invite_code] input");
        wait.until(d -> code.equals(d.findElement(codeInput).getDomProperty("value")));
        type(By.cssSelector("#join-group [data-field=alias] input"), "Trader T");
        click(By.cssSelector("#join-group button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-groups"), "VIP room"));
        click(By.cssSelector(".copy-follower button[data-action=resume]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".copy-follower table"), "active"));

        // x2 stays within the trader's max quantity of 0.5 (set on the risk page above).
        JsonNode open = alerts.alert(masterKey, TestClient.buy("GBPUSD", 0.2, 1.2700)).body();
        assertThat(open.path("copy").path("followers_accepted").asInt()).as("%s", open).isEqualTo(1);
        JsonNode closed = alerts.alert(masterKey, TestClient.close("GBPUSD", 0.2, 1.2750)).body();
        assertThat(closed.path("copy").path("followers_accepted").asInt()).as("%s", closed).isEqualTo(1);
        wait.until(d -> jdbi.withHandle(h -> h.createQuery("select count(*) from copy_orders c join orders o on o.id = c.order_id"
                + " and o.account_id = c.account_id join users u on u.id = c.user_id where u.email = :e and o.status = 'filled'")
                .bind("e", TRADER).mapTo(Integer.class).one()) >= 2);
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("my-groups"), "Trader T"));
        screenshot("copy-groups-follower");
        phoneScreenshot("copy-groups-follower");

        // The master's side: signed in as the master, the group card with its code, members and settlement.
        click(By.id("logout"));
        type(By.cssSelector("[data-field=email] input"), "master@example.com");
        type(By.cssSelector("[data-field=password] input"), "correct horse battery");
        click(By.cssSelector("form button[type=submit]"));
        visible(By.id("page-accounts"));
        browser.get(origin + "/#/copy");
        By card = By.cssSelector("#copy-groups article.group");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(card, "Trader T"));
        String settlement = text(By.cssSelector("#copy-groups .settlement"));
        assertThat(settlement).contains("Trader T").doesNotContain(TRADER);
        JsonNode report = api.get("/groups/" + group.path("group_id").asLong() + "/settlement", masterToken).body();
        assertThat(report.path("fees").asDouble()).as("%s", report).isPositive();
        assertThat(browser.findElement(By.cssSelector("#copy-groups [data-copy=invite-code]"))).isNotNull();
        screenshot("copy-groups-master");
        phoneScreenshot("copy-groups-master");
    }

    @Test
    @Order(8)
    void shouldLetAnAdminFindTheTraderAndImpersonateThemClearlyMarked() {
        ApiClient api = new ApiClient(server.port());
        assertThat(api.signUp(ADMIN, PASSWORD).status()).isEqualTo(201);
        server.database().jdbi().useHandle(h -> h.execute("update users set role = 'admin' where email = ?", ADMIN));

        click(By.id("logout"));
        visible(By.cssSelector("main.auth form"));
        screenshot("login");
        forgotAndResetPages();
        browser.get(origin + "/#/login");
        type(By.cssSelector("[data-field=email] input"), ADMIN);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        // Without two-factor the admin pages refuse, saying why.
        click(By.cssSelector("a[data-nav=admin]"));
        assertThat(text(By.cssSelector("#page-admin .error"))).contains("two-factor");

        // Enrolment on the profile page: QR code, key by hand, confirm with the app's code, recovery codes once.
        click(By.cssSelector("a[data-nav=profile]"));
        // The name is changed on the profile page; a wrong current password is refused inline.
        type(By.cssSelector("#rename [data-field=name] input"), "Ada Admin");
        click(By.cssSelector("#rename button[type=submit]"));
        wait.until(d -> d.findElement(By.id("page-profile")).getText().contains("Ada Admin"));
        type(By.cssSelector("#change-password [data-field=old_password] input"), "not the password");
        type(By.cssSelector("#change-password [data-field=new_password] input"), "Another password 1");
        click(By.cssSelector("#change-password button[type=submit]"));
        assertThat(text(By.cssSelector("#change-password [data-field=old_password] .field-error"))).contains("current password");
        click(By.id("enrol-totp"));
        visible(By.id("totp-qr"));
        byte[] secret = Totp.fromBase32(text(By.id("totp-secret")));
        screenshot("2fa-enrol");
        type(By.cssSelector("#totp-confirm [data-field=code] input"), Totp.codeAt(secret, Instant.now()));
        click(By.cssSelector("#totp-confirm button[type=submit]"));
        assertThat(browser.findElements(By.cssSelector("#recovery-codes li")).size() == 10
                || wait.until(d -> d.findElements(By.cssSelector("#recovery-codes li")).size() == 10)).isTrue();
        assertThat(text(By.id("twofa-status"))).contains("authenticator");
        screenshot("2fa-recovery-codes");
        phoneScreenshot("2fa-recovery-codes");

        // Sign-in is two-step now.
        click(By.id("logout"));
        type(By.cssSelector("[data-field=email] input"), ADMIN);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        visible(By.id("second-step"));
        screenshot("login-second-step");
        phoneScreenshot("login-second-step");
        type(By.cssSelector("#second-step [data-field=code] input"), TwoFactor.nextCode(server, ADMIN, secret));
        click(By.cssSelector("#second-step button[type=submit]"));
        click(By.cssSelector("a[data-nav=admin]"));
        By traderRow = By.cssSelector("#page-admin tr[data-row='" + TRADER + "']");
        assertThat(text(traderRow)).contains("trial");
        // Keys only by their masked prefix.
        assertThat(text(By.id("page-admin"))).doesNotContain(apiKey).contains("…");
        // The system-wide win rate is in percent already: never above 100 % on the page.
        assertThat(text(By.cssSelector("#page-admin .summary"))).containsPattern("Win rate\\s+(100|\\d{1,2}(\\.\\d)?)%|Win rate\\s+—");
        screenshot("admin");

        click(By.cssSelector("button[data-impersonate='" + TRADER + "']"));
        click(By.id("confirm-ok"));
        By banner = By.id("impersonation-banner");
        assertThat(text(banner)).contains("Impersonating", TRADER);
        By card = By.cssSelector("article.account h2");
        assertThat(text(card)).isEqualTo(LABEL);
        assertThat(browser.findElements(By.cssSelector("a[data-nav=admin]"))).as("no admin rights while impersonating").isEmpty();
        screenshot("impersonating");

        click(By.id("impersonation-stop"));
        wait.until(d -> d.findElements(By.id("impersonation-banner")).isEmpty());
        visible(By.cssSelector("#page-admin tr[data-row='" + TRADER + "']"));
    }

    @Test
    @Order(8)
    void shouldLetATraderChooseNotificationsAddAWebhookAndSeeTheDeliveryLog() {
        click(By.id("logout"));
        type(By.cssSelector("[data-field=email] input"), TRADER);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        click(By.cssSelector("a[data-nav=notifications]"));
        // This server has no mail: the page says webhooks only.
        assertThat(text(By.id("mail-note"))).contains("not configured");
        By refusalWebhook = By.cssSelector("#notification-preferences input[data-event=refusal][data-channel=webhook]");
        assertThat(visible(refusalWebhook).isSelected()).isTrue();
        click(By.cssSelector("#notification-preferences input[data-event=fill][data-channel=webhook]"));
        click(By.cssSelector("#notification-preferences button[type=submit]"));
        assertThat(text(By.cssSelector("#notification-preferences .saved"))).contains("Saved");

        // A private address is refused (the server would be calling into its own network), inline.
        type(By.cssSelector("#add-channel [data-field=url] input"), "http://127.0.0.1:9/hook");
        click(By.cssSelector("#add-channel button[type=submit]"));
        assertThat(text(By.cssSelector("#add-channel [data-field=url] .field-error"))).contains("private");
        type(By.cssSelector("#add-channel [data-field=label] input"), "Discord #alerts");
        type(By.cssSelector("#add-channel [data-field=url] input"), "https://hooks.invalid/tradeflow");
        click(By.cssSelector("#add-channel button[type=submit]"));
        // The signing secret, once, with a copy button.
        assertThat(visible(By.cssSelector("#channel-secret input.mono")).getDomProperty("value")).startsWith("whsec_");
        visible(By.cssSelector("#channel-secret [data-copy=channel-secret]"));
        assertThat(text(By.id("notification-channels"))).contains("Discord #alerts");
        screenshot("notifications");
        phoneScreenshot("notifications");

        click(By.cssSelector("#notification-channels button[data-test-channel]"));
        // The receiver's host does not exist: the test send fails, and the log says why.
        wait.until(d -> d.findElement(By.cssSelector(".toasts")).getText().contains("Test failed"));
        click(By.id("to-deliveries"));
        assertThat(text(By.cssSelector("#page-deliveries table"))).contains("test", "failed");
        screenshot("deliveries");
        phoneScreenshot("deliveries");
    }

    @Test
    @Order(9)
    void shouldBeUsableAtPhoneWidth() {
        browser.manage().window().setSize(new Dimension(390, 844));
        click(By.id("logout"));
        type(By.cssSelector("[data-field=email] input"), TRADER);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        visible(By.id("page-accounts"));
        // A reload keeps the trader signed in through the HttpOnly refresh cookie, which no script can read.
        browser.navigate().refresh();
        visible(By.cssSelector("#page-accounts article.account"));
        assertThat(browser.findElements(By.cssSelector("main.auth"))).isEmpty();
        assertThat(((JavascriptExecutor) browser).executeScript("return document.cookie;")).isEqualTo("");
        try {
            for (String page : List.of("accounts", "positions", "orders", "log", "risk", "alerts", "analytics", "notifications", "copy")) {
                browser.get(origin + "/#/" + page);
                visible(By.id("page-" + page));
                wait.until(d -> !d.findElements(By.cssSelector("#page-" + page + " > *")).isEmpty());
                // Nothing wider than the phone, except inside the scrollable table boxes.
                Object overflow = ((JavascriptExecutor) browser).executeScript(
                        "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
                assertThat(((Number) overflow).intValue()).as("horizontal overflow on %s", page).isLessThanOrEqualTo(0);
                visible(By.id("emergency-stop"));
                screenshot(page + "-phone");
            }
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 900));
        }
    }

    @Test
    @Order(10)
    void shouldHaveRequestedNothingButTradeFlowAndLoggedNoConsoleError() throws Exception {
        collectLogs();
        assertThat(REQUESTED_URLS).as("requests seen").anyMatch(u -> u.startsWith(origin + "/ui/app.js"));
        Set<String> foreign = new LinkedHashSet<>();
        for (String url : REQUESTED_URLS) {
            // Network schemes only: chrome:// pages (the new-tab page the browser opens with) never leave the machine.
            boolean network = url.matches("(?i)^(https?|wss?|ftp)://.*");
            if (network && !url.startsWith(origin + "/")) {
                foreign.add(url);
            }
        }
        assertThat(foreign).as("requests to other hosts").isEmpty();
        assertThat(CONSOLE_ERRORS).as("console errors (CSP violations, script errors)").isEmpty();
    }

    // ------------------------------------------------------------------ helpers

    private static void collectLogs() throws IOException {
        for (LogEntry entry : browser.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message = JSON.readTree(entry.getMessage()).path("message");
            if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                REQUESTED_URLS.add(message.path("params").path("request").path("url").asText());
            }
        }
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            String text = entry.getMessage();
            // The API's own refusals (403/409 on purpose in this journey) are logged by Chromium as failed loads.
            boolean expectedHttpError = text.contains("/api/unify/v1/") && text.contains("the server responded with a status of");
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !expectedHttpError) {
                CONSOLE_ERRORS.add(text);
            }
        }
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks once the element is shown and enabled; a list redrawn under the click is looked up again. */
    private static void click(By by) {
        wait.until(d -> {
            try {
                WebElement element = d.findElement(by);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return false;
                }
                element.click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException | ElementClickInterceptedException e) {
                return false;
            }
        });
    }

    private static void type(By by, String text) {
        WebElement input = visible(by);
        input.clear();
        if (!text.isEmpty()) {
            input.sendKeys(text);
        }
    }

    /** The element's text once shown; the pages redraw their lists while polling, so a stale element is looked up again. */
    private static String text(By by) {
        return wait.until(d -> {
            try {
                WebElement element = d.findElement(by);
                return element.isDisplayed() ? element.getText() : null;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return null;
            }
        });
    }

    private static String clipboard() {
        Object text = ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "navigator.clipboard.readText().then(done, e => done('clipboard refused: ' + e));");
        return String.valueOf(text);
    }

    /** The whole page (not just the viewport) at the current width. */
    /** The forgot-password and reset pages (this server has no mail: the page says so), desktop and phone. */
    private static void forgotAndResetPages() {
        click(By.id("forgot-link"));
        type(By.cssSelector("#forgot [data-field=email] input"), TRADER);
        click(By.cssSelector("#forgot button[type=submit]"));
        assertThat(text(By.cssSelector("#forgot .form-error"))).contains("no mail configured");
        screenshot("forgot-password");
        phoneScreenshot("forgot-password");
        browser.get(origin + "/#/reset?token=pr_not-a-real-token");
        type(By.cssSelector("#reset [data-field=new_password] input"), "weakpassword");
        click(By.cssSelector("#reset button[type=submit]"));
        assertThat(text(By.cssSelector("#reset [data-field=new_password] .field-error"))).contains("uppercase");
        type(By.cssSelector("#reset [data-field=new_password] input"), "Str0ngEnough");
        click(By.cssSelector("#reset button[type=submit]"));
        assertThat(text(By.cssSelector("#reset .form-error"))).contains("invalid, expired or already used");
        screenshot("reset-password");
        phoneScreenshot("reset-password");
    }

    /** The current page at phone width too. */
    private static void phoneScreenshot(String name) {
        Dimension before = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 844));
        screenshot(name + "-phone");
        browser.manage().window().setSize(before);
    }

    private static void screenshot(String name) throws RuntimeException {
        try {
            collectLogs();
            Dimension before = browser.manage().window().getSize();
            Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);");
            int wanted = Math.min(Math.max(height.intValue() + (before.getHeight() - viewportHeight()), before.getHeight()), 4000);
            browser.manage().window().setSize(new Dimension(before.getWidth(), wanted));
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            browser.manage().window().setSize(before);
            String suffix = before.getWidth() < 600 || name.endsWith("-phone") ? "" : "-desktop";
            Files.write(screenshots.resolve(name + suffix + ".png"), png);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    private static int viewportHeight() {
        return ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight;")).intValue();
    }
}
