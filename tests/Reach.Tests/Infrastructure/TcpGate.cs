using System.Net;
using System.Net.Sockets;

namespace Reach.Tests.Infrastructure;

/// <summary>
/// A port on 127.0.0.1 in front of a real server (the test SMTP or IMAP server): open, it passes every connection
/// through; closed, nothing listens there and a connection is refused, as when the mail server is down; held, it
/// accepts connections and never answers, as a server hung mid-conversation. Lets a test take a shared server away
/// from Reach alone, without stopping it for the other tests.
/// </summary>
public sealed class TcpGate : IDisposable
{
    readonly string targetHost;
    readonly int targetPort;
    readonly List<TcpClient> connections = [];
    TcpListener? listener;
    CancellationTokenSource? accepting;

    public int Port { get; }

    /// <summary>How many connections reached the gate while it was held (a client waiting on a hung server).</summary>
    public int HeldConnections { get; private set; }

    public bool Held { get; private set; }

    public TcpGate(string targetHost, int targetPort)
    {
        (this.targetHost, this.targetPort) = (targetHost, targetPort);
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        Open();
    }

    /// <summary>Listens again on the same port and passes connections through.</summary>
    public void Open() => Listen(held: false);

    /// <summary>Listens, but holds every connection without a byte either way.</summary>
    public void Hold() => Listen(held: true);

    void Listen(bool held)
    {
        Close();
        Held = held;
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        accepting = new CancellationTokenSource();
        _ = AcceptAsync(listener, held, accepting.Token);
    }

    /// <summary>Stops listening and drops every open connection: the port refuses connections until opened again.</summary>
    public void Close()
    {
        accepting?.Cancel();
        accepting?.Dispose();
        accepting = null;
        listener?.Stop();
        listener = null;
        lock (connections)
        {
            foreach (var connection in connections)
                connection.Dispose();
            connections.Clear();
        }
    }

    async Task AcceptAsync(TcpListener on, bool held, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await on.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (connections)
                connections.Add(client);
            if (held)
            {
                HeldConnections++;
                continue;
            }
            _ = PassThroughAsync(client, cancellationToken);
        }
    }

    async Task PassThroughAsync(TcpClient client, CancellationToken cancellationToken)
    {
        var server = new TcpClient();
        lock (connections)
            connections.Add(server);
        try
        {
            await server.ConnectAsync(targetHost, targetPort, cancellationToken);
            var up = client.GetStream().CopyToAsync(server.GetStream(), cancellationToken);
            var down = server.GetStream().CopyToAsync(client.GetStream(), cancellationToken);
            await Task.WhenAny(up, down);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // The gate closed, or one side hung up: the other side is dropped below.
        }
        finally
        {
            client.Dispose();
            server.Dispose();
        }
    }

    public void Dispose() => Close();
}
