using System.Net;
using System.Net.Sockets;

namespace Reach.Outreach;

/// <summary>
/// Which servers a user's mailbox settings may make Reach connect to. A mailbox is typed in by any user, so
/// without a rule its connection test would scan the server's network for them (SSRF): only the standard mail
/// ports, and only public addresses unless the operator allows internal ones (Reach:Mail:AllowInternalHosts,
/// for a mail server on the LAN). The address checked is the address connected to (no second DNS lookup).
/// </summary>
public sealed class MailHosts(bool allowInternal)
{
    public static readonly int[] SmtpPorts = [25, 465, 587, 2525];
    public static readonly int[] ImapPorts = [143, 993];

    /// <summary>Connects a socket to <paramref name="host"/>:<paramref name="port"/> when the rule allows it; throws <see cref="MailHostRefusedException"/> otherwise.</summary>
    public async Task<Socket> ConnectAsync(string host, int port, bool imap, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ports = imap ? ImapPorts : SmtpPorts;
        if (!allowInternal && !ports.Contains(port))
            throw new MailHostRefusedException($"port {port} is not a{(imap ? "n IMAP" : " mail submission")} port; use one of {string.Join(", ", ports)}.");
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        if (addresses.Length == 0)
            throw new MailHostRefusedException($"{host} has no address.");
        if (!allowInternal && addresses.FirstOrDefault(IsInternal) is { } inside)
            throw new MailHostRefusedException($"{host} is an internal address ({inside}); Reach connects only to public mail servers unless its operator sets Reach:Mail:AllowInternalHosts.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(timeout);
            await socket.ConnectAsync(addresses, port, limit.Token);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"{host}:{port} did not answer in time.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, private, link-local (cloud metadata), shared (CGNAT), unique-local and unspecified addresses.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
            return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast;
        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 172 && b[1] is >= 16 and <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && b[1] is >= 64 and <= 127);
    }
}

/// <summary>A mailbox setting that <see cref="MailHosts"/> does not connect to; the message says why.</summary>
public sealed class MailHostRefusedException(string message) : Exception(message);
