package dev.modelgate.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.support.Fixture;
import dev.modelgate.support.Library;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The explorer (GraphiQL 5 with the explorer plugin, bundled into the jar) in a real browser
 * (Debian's headless Chromium): it loads from the jar, runs a query and a mutation through the
 * UI, shows the docs, builds a query from ticked fields, runs a subscription that updates after a
 * mutation, and no request leaves the machine.
 */
class GraphiqlBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    static Fixture f;
    static HttpServer server;
    static String base;

    @BeforeAll
    static void start() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String message = "*** chromium / chromedriver are not installed (apt-get install chromium chromium-driver); the browser test cannot run ***";
            System.err.println(message);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message);
        }
        f = Library.sqlite();
        server = HttpServer.create(f.gateway).start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
            f.close();
        }
    }

    static WebDriver browser(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--window-size=1400,900", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER.toString()))
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    /** Runs a document through the explorer's UI and returns what its result pane shows. */
    static String runInExplorer(WebDriver driver, String document) {
        driver.get(base + "/graphiql?query=" + URLEncoder.encode(document, StandardCharsets.UTF_8));
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-execute-button"))).click();
        wait.until(d -> d.findElement(By.cssSelector(".result-window")).getText().contains("\"data\""));
        return driver.findElement(By.cssSelector(".result-window")).getText();
    }

    @Test
    void theExplorerOpensOnAQueryThatRunsAgainstTheServedSchema(@TempDir Path profile) {
        WebDriver driver = browser(profile);
        try {
            driver.get(base + "/graphiql");
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-execute-button"))).click();
            wait.until(d -> d.findElement(By.cssSelector(".result-window")).getText().contains("\"data\""));
            String result = driver.findElement(By.cssSelector(".result-window")).getText();
            assertFalse(result.contains("\"errors\""), result);
            String first = f.data("{ authors(limit: 1) { name } }").get("authors").get(0).get("name").asText();
            assertTrue(result.contains(first), "rows of the first model: " + result);
        } finally {
            driver.quit();
        }
    }

    @Test
    void theExplorerRunsQueriesAndMutationsShowsTheDocsAndStaysOnTheMachine(@TempDir Path profile) throws Exception {
        WebDriver driver = browser(profile);
        try {
            String result = runInExplorer(driver, "{ authors(orderBy: [{name: ASC}], limit: 2) { name } }");
            assertTrue(result.contains("Isaac Asimov") && result.contains("Mary Beard"), result);
            assertFalse(result.contains("Ursula"), result);

            String created = runInExplorer(driver, "mutation { createTag(data: {label: \"from-the-browser\"}) { label } }");
            assertTrue(created.contains("from-the-browser"), created);
            assertEquals(1, f.data("{ tagsAggregate(where: {label: {eq: \"from-the-browser\"}}) { count } }")
                    .get("tagsAggregate").get("count").asInt());

            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[aria-label='Show Documentation Explorer']"))).click();
            wait.until(d -> d.findElement(By.cssSelector(".graphiql-doc-explorer")).getText().contains("Query"));
            driver.findElement(By.linkText("Query")).click();
            wait.until(d -> d.findElement(By.cssSelector(".graphiql-doc-explorer")).getText().contains("authorsAggregate"));

            List<String> urls = new ArrayList<>();
            for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
                JsonNode message = Fixture.JSON.readTree(entry.getMessage()).path("message");
                if (message.path("method").asText().equals("Network.requestWillBeSent")) {
                    urls.add(message.path("params").path("request").path("url").asText());
                }
            }
            assertTrue(urls.stream().anyMatch(u -> u.contains("/graphiql/assets/graphiql.js")), urls.toString());
            assertTrue(urls.stream().anyMatch(u -> u.endsWith("/graphql")), urls.toString());
            // chrome://, data: and blob: never touch the network; every http(s) or ws(s) request must go to the gateway
            List<String> leaving = urls.stream().filter(u -> u.matches("(?i)(https?|wss?|ftp)://.*") && !u.startsWith(base + "/")).toList();
            assertEquals(List.of(), leaving, "requests leaving the machine");
        } finally {
            driver.quit();
        }
    }

    /** The explorer plugin builds a query by ticking fields, and the built query runs. */
    @Test
    void theExplorerPluginBuildsAQueryByTickingFields(@TempDir Path profile) {
        WebDriver driver = browser(profile);
        try {
            driver.get(base + "/graphiql?query=" + URLEncoder.encode("{ __typename }", StandardCharsets.UTF_8));
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("[aria-label='Show GraphiQL Explorer']"))).click();
            // the root field, then one of its fields: each tick writes the selection into the query
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector(".graphiql-explorer-root [data-field-name='tags']"))).click();
            // a field's subfields are listed beside its node, inside the field's own block
            wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("div.graphiql-explorer-tags:not(.graphiql-explorer-node) [data-field-name='label']"))).click();
            wait.until(d -> d.findElement(By.cssSelector(".graphiql-query-editor")).getText().replaceAll("[\\s\u00a0]+", " ").matches("(?s).*tags \\{ .*label.*"));
            driver.findElement(By.cssSelector(".graphiql-execute-button")).click();
            wait.until(d -> d.findElement(By.cssSelector(".result-window")).getText().contains("\"tags\""));
            String result = driver.findElement(By.cssSelector(".result-window")).getText();
            String label = f.data("{ tags(orderBy: [{id: ASC}], limit: 1) { label } }").get("tags").get(0).get("label").asText();
            assertTrue(result.contains("\"label\"") && result.contains(label), result);
            assertFalse(result.contains("\"errors\""), result);
        } finally {
            driver.quit();
        }
    }

    /** A subscription typed in the explorer shows its result, and the new one after a mutation from elsewhere. */
    @Test
    void aSubscriptionInTheExplorerUpdatesAfterAMutation(@TempDir Path profile) throws Exception {
        WebDriver driver = browser(profile);
        try {
            int before = f.data("{ tagsAggregate { count } }").get("tagsAggregate").get("count").asInt();
            String first = runInExplorer(driver, "subscription { tagsAggregate { count } }");
            assertTrue(first.replace(" ", "").contains("\"count\":" + before), first);
            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/graphql"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"query\": \"mutation { createTag(data: {label: \\\"live-in-the-browser\\\"}) { label } }\"}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElement(By.cssSelector(".result-window")).getText()
                    .replace(" ", "").contains("\"count\":" + (before + 1)));
        } finally {
            driver.quit();
        }
    }
}
