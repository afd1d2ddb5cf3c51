package optout.pad.browser;

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
 * page. For the browser tests only. Every step has a timeout; {@link #close()} kills the browser and
 * its helpers and deletes the temporary profile, and a shutdown hook does so if the JVM ends first.
 */
final class Chromium implements AutoCloseable {

  static final Duration STEP = Duration.ofSeconds(10);
  private static final String LISTENING = "DevTools listening on ";

  private final Process process;
  private final Path profile;
  private final Thread shutdownHook;
  private final Deque<String> log = new ArrayDeque<>();
  private final CompletableFuture<String> endpoint = new CompletableFuture<>();
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
  private WebSocket socket;
  private String sessionId;

  /** Debian's chromium, or null when it is not installed. */
  static Path executable() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return Path.of(candidate);
      }
    }
    return null;
  }

  /** Starts the browser and opens a page on about:blank. */
  static Chromium launch(Path executable, int width, int height) throws Exception {
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

  String recentOutput() {
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
    call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
  }

  /** Sends a command to the page without waiting: the protocol runs a session's commands in order. */
  CompletableFuture<Map<String, Object>> send(String method, Map<String, Object> params) {
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
  Map<String, Object> call(String method, Map<String, Object> params) throws Exception {
    return await(send(method, params), method);
  }

  static Map<String, Object> await(CompletableFuture<Map<String, Object>> response, String what) throws Exception {
    try {
      return response.get(STEP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("DevTools " + what + ": no answer within " + STEP.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Evaluates an expression in the page (awaiting a promise) and returns its value as JSON values. */
  Object evaluate(String expression) throws Exception {
    Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.containsKey("exceptionDetails")) {
      throw new IllegalStateException("The page threw on " + expression + ": " + result.get("exceptionDetails"));
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> value = (Map<String, Object>) result.get("result");
    return value.get("value");
  }

  /** Navigates and waits until the expression is true. */
  void open(String url, String readyExpression) throws Exception {
    call("Page.navigate", Map.of("url", url));
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!Boolean.TRUE.equals(evaluate(readyExpression))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("The page " + url + " did not become ready within " + STEP.toSeconds() + " s");
      }
      Thread.sleep(20);
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
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      message.append(data);
      if (last) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) CdpJson.read(message.toString());
        message.setLength(0);
        if (json.get("id") instanceof Long id) {
          CompletableFuture<Map<String, Object>> response = pending.remove(id);
          if (response != null) {
            response.complete(json);
          }
        }
        // Events are not needed: the tests ask the page.
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
