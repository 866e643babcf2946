// Drives Debian's headless Chromium over the DevTools protocol (a WebSocket on 127.0.0.1, no extra
// package): opens a page, records console errors, exceptions and every network request, evaluates
// scripts and takes full-page screenshots. Started with a fresh profile and without any network service.
// Reference: Chrome DevTools Protocol (Page.navigate, Runtime.evaluate, Page.captureScreenshot, Log.entryAdded).
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Latent.Tests.Reporting;

internal sealed class HeadlessChromium : IDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _ws = new();
    private int _nextId;

    public List<string> ConsoleErrors { get; } = [];
    public List<string> RequestedUrls { get; } = [];

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static HeadlessChromium Start(int width = 1280, int height = 900)
    {
        ExternalTool.Require(ExternalTool.Chromium, "chromium");
        string profile = Path.Combine(Path.GetTempPath(), $"latent-chromium-{Guid.NewGuid():N}");
        Directory.CreateDirectory(profile);
        var psi = new ProcessStartInfo(ExternalTool.Chromium) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
                     $"--user-data-dir={profile}", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                     $"--window-size={width},{height}", "about:blank",
                 })
            psi.ArgumentList.Add(a);
        var p = Process.Start(psi) ?? throw new InvalidOperationException("chromium did not start.");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var browser = new HeadlessChromium(p, profile);
        try
        {
            browser.Connect();
        }
        catch
        {
            browser.Dispose();
            throw;
        }
        return browser;
    }

    private void Connect()
    {
        string portFile = Path.Combine(_profile, "DevToolsActivePort");
        var sw = Stopwatch.StartNew();
        while (!File.Exists(portFile) || File.ReadAllText(portFile).Split('\n').Length < 2)
        {
            if (_process.HasExited) Assert.Fail($"chromium exited early with code {_process.ExitCode}.");
            if (sw.Elapsed > TimeSpan.FromSeconds(30)) Assert.Fail("chromium did not open its DevTools port within 30 s.");
            Thread.Sleep(50);
        }
        int port = int.Parse(File.ReadAllText(portFile).Split('\n')[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient();
        string list = http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")).GetAwaiter().GetResult();
        string wsUrl = JsonNode.Parse(list)!.AsArray().First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
        _ws.ConnectAsync(new Uri(wsUrl), CancellationToken.None).GetAwaiter().GetResult();
        Send("Runtime.enable");
        Send("Log.enable");
        Send("Page.enable");
        Send("Network.enable");
    }

    /// <summary>Sends a command and returns its result, handling the events that arrive meanwhile.</summary>
    public JsonNode Send(string method, JsonObject? parameters = null, string? waitForEvent = null)
    {
        int id = ++_nextId;
        var msg = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        _ws.SendAsync(Encoding.UTF8.GetBytes(msg.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        JsonNode? result = null;
        bool eventSeen = waitForEvent is null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (result is null || !eventSeen)
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"DevTools: no answer to {method} within 60 s.");
            JsonNode m = Receive();
            if (m["id"] is { } mid && mid.GetValue<int>() == id)
            {
                if (m["error"] is { } err) Assert.Fail($"DevTools {method} failed: {err.ToJsonString()}");
                result = m["result"] ?? new JsonObject();
            }
            else if (m["method"] is { } ev)
            {
                string name = ev.GetValue<string>();
                OnEvent(name, m["params"]!);
                if (name == waitForEvent) eventSeen = true;
            }
        }
        return result;
    }

    private void OnEvent(string name, JsonNode p)
    {
        switch (name)
        {
            case "Runtime.consoleAPICalled" when (string?)p["type"] is "error" or "assert":
                ConsoleErrors.Add("console: " + p["args"]?.ToJsonString());
                break;
            case "Runtime.exceptionThrown":
                ConsoleErrors.Add("exception: " + p["exceptionDetails"]?.ToJsonString());
                break;
            case "Log.entryAdded":
                JsonNode? entry = p["entry"];
                if ((string?)entry?["level"] == "error") ConsoleErrors.Add($"log: {entry?["text"]} {entry?["url"]}");
                break;
            case "Network.requestWillBeSent":
                RequestedUrls.Add((string?)p["request"]?["url"] ?? "");
                break;
        }
    }

    private JsonNode Receive()
    {
        var buffer = new byte[1 << 16];
        using var ms = new MemoryStream();
        WebSocketReceiveResult r;
        do
        {
            r = _ws.ReceiveAsync(buffer, CancellationToken.None).GetAwaiter().GetResult();
            if (r.MessageType == WebSocketMessageType.Close) Assert.Fail("DevTools closed the connection.");
            ms.Write(buffer, 0, r.Count);
        } while (!r.EndOfMessage);
        return JsonNode.Parse(ms.ToArray())!;
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event.</summary>
    public void Navigate(string url) => Send("Page.navigate", new JsonObject { ["url"] = url }, waitForEvent: "Page.loadEventFired");

    /// <summary>Evaluates a JavaScript expression and returns its value (JSON).</summary>
    public JsonNode? Evaluate(string expression)
    {
        JsonNode r = Send("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (r["exceptionDetails"] is { } ex) Assert.Fail($"Script failed: {ex.ToJsonString()}");
        return r["result"]?["value"];
    }

    /// <summary>A PNG of the whole page (beyond the viewport).</summary>
    public byte[] ScreenshotFullPage()
    {
        JsonNode metrics = Send("Page.getLayoutMetrics");
        JsonNode size = metrics["cssContentSize"] ?? metrics["contentSize"]!;
        double w = size["width"]!.GetValue<double>(), h = size["height"]!.GetValue<double>();
        JsonNode shot = Send("Page.captureScreenshot", new JsonObject
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = true,
            ["clip"] = new JsonObject { ["x"] = 0, ["y"] = 0, ["width"] = w, ["height"] = h, ["scale"] = 1 },
        });
        return Convert.FromBase64String(shot["data"]!.GetValue<string>());
    }

    /// <summary>Switches the page to the print stylesheet ("print") or back ("").</summary>
    public void EmulateMedia(string media) => Send("Emulation.setEmulatedMedia", new JsonObject { ["media"] = media });

    /// <summary>Renders the page as PDF with its print stylesheet.</summary>
    public byte[] PrintToPdf() =>
        Convert.FromBase64String(Send("Page.printToPDF", new JsonObject { ["printBackground"] = true })["data"]!.GetValue<string>());

    public void Dispose()
    {
        try
        {
            if (_ws.State == WebSocketState.Open)
            {
                var msg = new JsonObject { ["id"] = ++_nextId, ["method"] = "Browser.close" };
                _ws.SendAsync(Encoding.UTF8.GetBytes(msg.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
        catch (WebSocketException)
        {
            // The browser may already be gone.
        }
        _ws.Dispose();
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A profile left in /tmp is harmless.
        }
    }
}
