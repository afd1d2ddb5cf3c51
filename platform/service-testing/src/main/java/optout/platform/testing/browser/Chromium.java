package optout.platform.testing.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Headless Chromium as a child process, driven over the DevTools protocol (JDK WebSocket), with one
 * page. For the browser tests only (the pad driver's and the services'). Every step has a timeout;
 * {@link #close()} kills the browser and its helpers and deletes the temporary profile, and a shutdown
 * hook does so if the JVM ends first. Uncaught exceptions and console errors of the page are kept, so
 * that a failing test can say what the page said.
 */
public final class Chromium implements AutoCloseable {

  public static final Duration STEP = Duration.ofSeconds(10);
  private static final String LISTENING = "DevTools listening on ";

  private final Process process;
  private final Path profile;
  private final Thread shutdownHook;
  private final Deque<String> log = new ArrayDeque<>();
  private final Deque<String> pageErrors = new ArrayDeque<>();
  private final CompletableFuture<String> endpoint = new CompletableFuture<>();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private WebSocket socket;
  private String sessionId;

  /** Debian's chromium, or null when it is not installed. */
  public static Path executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  /** Starts the browser and opens a page on about:blank. */
  public static Chromium launch(Path executable, int width, int height) throws Exception {
    Path profile = Files.createTempDirectory("optout-chromium-");
    List<String> command = List.of(executable.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank");
    Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Chromium chromium = new Chromium(process, profile);
    try {
      chromium.connect();
      chromium.openPage(width, height);
      return chromium;
    } catch (Exception | Error e) {
      chromium.close();
      throw e;
    }
  }

  private Chromium(Process process, Path profile) {
    this.process = process;
    this.profile = profile;
    this.shutdownHook = new Thread(this::kill, "chromium-killer");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Thread reader = new Thread(this::readStderr, "chromium-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /** Keeps the last lines for failure messages, and finds the DevTools address. */
  private void readStderr() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith(LISTENING)) {
          endpoint.complete(line.substring(LISTENING.length()).trim());
        }
        synchronized (log) {
          log.addLast(line);
          if (log.size() > 40) {
            log.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // The process ended; the endpoint fails below.
    }
    endpoint.completeExceptionally(new IllegalStateException("Chromium ended before it listened for DevTools"));
  }

  public String recentOutput() {
    synchronized (log) {
      return String.join("\n", log);
    }
  }

  private void connect() throws Exception {
    String url;
    try {
      url = endpoint.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException("Cannot start Chromium: no DevTools address within " + STEP.toSeconds() + " s. Its output:\n"
          + recentOutput(), e);
    }
    socket = HttpClient.newBuilder().connectTimeout(STEP).build().newWebSocketBuilder().connectTimeout(STEP)
        .buildAsync(URI.create(url), new Listener()).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void openPage(int width, int height) throws Exception {
    String targetId = (String) call("Target.createTarget", Map.of("url", "about:blank")).get("targetId");
    sessionId = (String) call("Target.attachToTarget", Map.of("targetId", targetId, "flatten", true)).get("sessionId");
    call("Page.enable", Map.of());
    call("Runtime.enable", Map.of());
    call("Log.enable", Map.of());
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Sends a command to the page without waiting: the protocol runs a session's commands in order. */
  public CompletableFuture<Map<String, Object>> send(String method, Map<String, Object> params) {
    return send(method, params, sessionId);
  }

  /** Sends a command to the browser itself (e.g. {@code Browser.setDownloadBehavior}) and waits for its result. */
  public Map<String, Object> callBrowser(String method, Map<String, Object> params) throws Exception {
    return await(send(method, params, null), method);
  }

  private CompletableFuture<Map<String, Object>> send(String method, Map<String, Object> params, String sessionId) {
    long id = ids.incrementAndGet();
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("id", id);
    message.put("method", method);
    message.put("params", params);
    if (sessionId != null) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<Map<String, Object>> response = new CompletableFuture<>();
    pending.put(id, response);
    synchronized (this) {
      try {
        socket.sendText(CdpJson.write(message), true).get(STEP.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        pending.remove(id);
        response.completeExceptionally(e);
      }
    }
    return response.thenApply(reply -> {
      if (reply.containsKey("error")) {
        throw new IllegalStateException("DevTools " + method + " failed: " + reply.get("error"));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) reply.get("result");
      return result;
    });
  }

  /** Sends a command and waits for its result. */
  public Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
    return await(send(method, params), method);
  }

  public static Map<String, Object> await(CompletableFuture<Map<String, Object>> response, String what) throws Exception {
    try {
      return response.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("DevTools " + what + ": no answer within " + STEP.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value as JSON values. */
  public Object evaluate(String expression) throws Exception {
    Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException("The page threw on " + expression + ": " + result.get("exceptionDetails"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) result.get("result");
    return value.get("value");
  }

  /** Navigates and waits until the expression is true. */
  public void open(String url, String readyExpression) throws Exception {
    call("Page.navigate", Map.of("url", url));
    waitFor(readyExpression, STEP, "The page " + url + " did not become ready");
  }

  /**
   * Waits until the expression is true in the page. The page may navigate meanwhile (a login
   * redirect): an evaluation that fails because its context went away is retried.
   */
  public void waitFor(String expression, Duration timeout, String failure) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Object value;
      try {
        value = evaluate(expression);
      } catch (IllegalStateException e) {
        value = null;
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s: " + e.getMessage()
              + pageErrorReport(), e);
        }
      }
      if (Boolean.TRUE.equals(value)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(failure + " within " + timeout.toSeconds() + " s" + pageErrorReport());
      }
      Thread.sleep(50);
    }
  }

  /** The whole page as PNG, also what lies below the window. */
  public byte[] screenshot() throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> size = (Map<String, Object>) call("Page.getLayoutMetrics", Map.of()).get("cssContentSize");
    Map<String, Object> clip = Map.of("x", 0, "y", 0, "width", ((Number) size.get("width")).doubleValue(),
        "height", ((Number) size.get("height")).doubleValue(), "scale", 1);
    Map<String, Object> shot = call("Page.captureScreenshot", Map.of("format", "png", "clip", clip, "captureBeyondViewport", true));
    return Base64.getDecoder().decode((String) shot.get("data"));
  }

  /** The page's uncaught exceptions and console errors so far (the last 40), oldest first. */
  public List<String> pageErrors() {
    synchronized (pageErrors) {
      return List.copyOf(pageErrors);
    }
  }

  private String pageErrorReport() {
    List<String> errors = pageErrors();
    return errors.isEmpty() ? "" : ". The page reported:\n" + String.join("\n", errors);
  }

  private void pageError(String text) {
    synchronized (pageErrors) {
      pageErrors.addLast(text);
      if (pageErrors.size() > 40) {
        pageErrors.removeFirst();
      }
    }
  }

  /** Keeps what the page reports as an error; everything else of the events is not needed (the tests ask the page). */
  @SuppressWarnings("unchecked")
  private void event(String method, Map<String, Object> params) {
    if (params == null) {
      return;
    }
    switch (method) {
      case "Runtime.exceptionThrown" -> {
        Map<String, Object> details = (Map<String, Object>) params.get("exceptionDetails");
        Object exception = details == null ? null : details.get("exception");
        Object description = exception instanceof Map<?, ?> e ? e.get("description") : null;
        pageError("exception: " + (description != null ? description : details));
      }
      case "Runtime.consoleAPICalled" -> {
        if ("error".equals(params.get("type")) && params.get("args") instanceof List<?> args) {
          StringBuilder text = new StringBuilder("console.error:");
          for (Object arg : args) {
            Map<String, Object> value = (Map<String, Object>) arg;
            text.append(' ').append(value.containsKey("value") ? value.get("value") : value.get("description"));
          }
          pageError(text.toString());
        }
      }
      case "Log.entryAdded" -> {
        Map<String, Object> entry = (Map<String, Object>) params.get("entry");
        if (entry != null && "error".equals(entry.get("level"))) {
          pageError(entry.get("source") + ": " + entry.get("text"));
        }
      }
      default -> { }
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
    deleteProfile();
  }

  /** Kills the browser and its helper processes (renderer, GPU, zygote), by handle. */
  private void kill() {
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroyForcibly();
    helpers.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deleteProfile() {
    // Helpers may still be writing for a moment after the kill.
    for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
      try (Stream<Path> files = Files.walk(profile)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      } catch (IOException e) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** Collects frames into messages and hands each answer to its command. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder message = new StringBuilder();

    @Override
    @SuppressWarnings("unchecked")
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        Map<String, Object> json = (Map<String, Object>) CdpJson.read(message.toString());
        message.setLength(0);
        if (json.get("id") instanceof Long id) {
          CompletableFuture<Map<String, Object>> response = pending.remove(id);
          if (response != null) {
            response.complete(json);
          }
        } else if (json.get("method") instanceof String method) {
          event(method, (Map<String, Object>) json.get("params"));
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      pending.values().forEach(response -> response.completeExceptionally(error));
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      pending.values().forEach(response -> response.completeExceptionally(new IllegalStateException("DevTools connection closed")));
      return null;
    }
  }
}
