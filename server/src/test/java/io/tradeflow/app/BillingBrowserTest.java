package io.tradeflow.app;

import io.tradeflow.core.event.BrokerKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The billing page and the admin revenue view in headless Chromium, against a real server and the
 * local Stripe stub; screenshots at 1366 and 390 px go to {@code target/screenshots/}.
 */
class BillingBrowserTest {
    private static final String WEBHOOK_SECRET = "whsec_browser_test";
    private static final String TRADER = "payer@example.com";
    private static final String ADMIN = "owner@example.com";
    private static final String PASSWORD = "a long enough password";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path profileDir;

    private static StripeStub stripe;
    private static TradeFlowServer server;
    private static ChromeDriver browser;
    private static WebDriverWait wait;
    private static String origin;
    private static Path screenshots;

    @BeforeAll
    static void start() throws Exception {
        stripe = new StripeStub();
        server = TestServers.start(dataDir, Map.of(
                "billing.stripe.secret-key", "sk_test_browser",
                "billing.stripe.webhook-secret", WEBHOOK_SECRET,
                "billing.stripe.api-base", stripe.apiBase(),
                "billing.plans.starter.price-id", "price_starter",
                "billing.plans.pro.price-id", "price_pro",
                "billing.plans.elite.price-id", "price_elite"));
        origin = "http://127.0.0.1:" + server.port();
        screenshots = Paths.get("target", "screenshots");
        Files.createDirectories(screenshots);
        System.setProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1366,900",
                "--user-data-dir=" + profileDir.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
        if (stripe != null) {
            stripe.close();
        }
    }

    @Test
    void shouldShowPlansSendToCheckoutWarnInGraceAndShowRevenueToAdmins() throws Exception {
        ApiClient api = new ApiClient(server.port());
        long userId = api.signUp(TRADER, PASSWORD).body().path("user").path("id").asLong();
        server.accounts().createAccount(userId, BrokerKind.PAPER, "paper");
        logIn(TRADER);

        browser.get(origin + "/#/billing");
        visible(By.id("billing-current"));
        assertThat(text(By.id("billing-plan"))).isEqualTo("trial");
        assertThat(text(By.cssSelector("[data-plan=pro]"))).contains("49", "500 entry alerts a day", "5 broker accounts");
        // The trial is limited by trades and days (trial.*), not by alerts a day.
        assertThat(text(By.cssSelector("[data-plan=trial]"))).contains("100 trades within 3 days")
                .doesNotContain("Unlimited entry alerts");
        assertThat(browser.findElements(By.id("billing-grace"))).isEmpty();
        screenshot("billing-desktop");

        // Upgrade: the page goes to the Checkout url the server got from Stripe.
        click(By.cssSelector("button[data-upgrade=pro]"));
        wait.until(d -> d.getCurrentUrl().startsWith(stripe.apiBase() + "/c/pay/"));
        String customer = stripe.requests().stream().filter(r -> r.path().equals("/v1/checkout/sessions"))
                .findFirst().orElseThrow().form().get("customer");

        // Stripe reports the subscription, then a failed payment: the page and the banner warn.
        long periodEnd = System.currentTimeMillis() / 1000 + 30 * 86_400;
        stripe.subscription("sub_b", customer, "past_due", "price_pro", periodEnd, false);
        String failed = StripeStub.event("evt_b1", "invoice.payment_failed", "{\"id\":\"in_b\",\"object\":\"invoice\","
                + "\"customer\":\"" + customer + "\",\"subscription\":\"sub_b\"}");
        HttpResponse<String> hook = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(origin + ApiClient.BASE + "/billing/webhook"))
                .header("Stripe-Signature", StripeStub.sign(failed, WEBHOOK_SECRET, System.currentTimeMillis() / 1000))
                .POST(HttpRequest.BodyPublishers.ofString(failed)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(hook.statusCode()).as(hook.body()).isEqualTo(200);

        browser.get(origin + "/#/billing");
        visible(By.id("billing-grace"));
        assertThat(text(By.id("billing-status"))).isEqualTo("grace");
        assertThat(text(By.id("billing-banner"))).contains("Payment failed");
        screenshot("billing-grace-desktop");

        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            browser.navigate().refresh();
            visible(By.id("billing-grace"));
            Object overflow = ((JavascriptExecutor) browser).executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow on billing").isLessThanOrEqualTo(0);
            screenshot("billing-phone");
        } finally {
            browser.manage().window().setSize(new Dimension(1366, 900));
        }

        // The admin's revenue view counts the subscription Stripe reported.
        assertThat(api.signUp(ADMIN, PASSWORD).status()).isEqualTo(201);
        server.database().jdbi().useHandle(h -> h.execute("update users set role = 'admin' where email = ?", ADMIN));
        // Admin pages need a two-factor session: enrol an authenticator, then sign in with password and code.
        byte[] secret = TwoFactor.enrol(api, api.post("/auth/login", "{\"email\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD
                + "\"}", null).body().path("access_token").asText()).secret();
        click(By.id("logout"));
        browser.get(origin + "/");
        type(By.cssSelector("[data-field=email] input"), ADMIN);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        type(By.cssSelector("#second-step [data-field=code] input"), TwoFactor.nextCode(server, ADMIN, secret));
        click(By.cssSelector("#second-step button[type=submit]"));
        click(By.cssSelector("a[data-nav=admin]"));
        assertThat(text(By.id("admin-revenue"))).contains("MRR", "Active pro");
        visible(By.id("admin-user-actions"));
        screenshot("admin-revenue-desktop");

        List<String> errors = new ArrayList<>();
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            boolean expectedHttpError = entry.getMessage().contains("the server responded with a status of");
            if (entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !expectedHttpError) {
                errors.add(entry.getMessage());
            }
        }
        assertThat(errors).as("console errors (CSP violations, script errors)").isEmpty();
    }

    private static void logIn(String email) {
        browser.get(origin + "/");
        type(By.cssSelector("[data-field=email] input"), email);
        type(By.cssSelector("[data-field=password] input"), PASSWORD);
        click(By.cssSelector("form button[type=submit]"));
        visible(By.id("page-accounts"));
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static void click(By by) {
        wait.until(d -> {
            try {
                WebElement element = d.findElement(by);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return false;
                }
                element.click();
                return true;
            } catch (StaleElementReferenceException | NoSuchElementException
                     | org.openqa.selenium.ElementClickInterceptedException e) {
                return false;
            }
        });
    }

    private static void type(By by, String text) {
        WebElement input = visible(by);
        input.clear();
        input.sendKeys(text);
    }

    private static String text(By by) {
        return wait.until(d -> {
            try {
                WebElement element = d.findElement(by);
                return element.isDisplayed() && !element.getText().isEmpty() ? element.getText() : null;
            } catch (StaleElementReferenceException | NoSuchElementException e) {
                return null;
            }
        });
    }

    /** The whole page at the current width. */
    private static void screenshot(String name) {
        try {
            Dimension before = browser.manage().window().getSize();
            Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                    "return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight);");
            int inner = ((Number) ((JavascriptExecutor) browser).executeScript("return window.innerHeight;")).intValue();
            int wanted = Math.min(Math.max(height.intValue() + (before.getHeight() - inner), before.getHeight()), 4000);
            browser.manage().window().setSize(new Dimension(before.getWidth(), wanted));
            byte[] png = browser.getScreenshotAs(OutputType.BYTES);
            browser.manage().window().setSize(before);
            Files.write(screenshots.resolve(name + ".png"), png);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
