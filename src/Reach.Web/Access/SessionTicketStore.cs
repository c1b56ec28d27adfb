using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Access;

/// <summary>
/// Keeps web sessions in the workspace database (<see cref="SignInSession"/>) instead of inside the cookie, so
/// signing out ends the session on the server: a saved copy of the cookie no longer opens anything (ASVS 3.3.1).
/// </summary>
public sealed class SessionTicketStore(Database database, TimeProvider clock) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = database.Open(clock);
        // Expired sessions go when new ones come: the table holds only live ones (and today's expired).
        await db.SignInSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync();
        db.SignInSessions.Add(new SignInSession
        {
            Id = HashOf(key),
            UserId = Guid.TryParse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null,
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = now,
            ExpiresAt = ExpiryOf(ticket, now),
        });
        await db.SaveChangesAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = HashOf(key);
        var ticketBytes = TicketSerializer.Default.Serialize(ticket);
        var expires = ExpiryOf(ticket, now);
        await using var db = database.Open(clock);
        await db.SignInSessions.Where(s => s.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Ticket, ticketBytes).SetProperty(x => x.ExpiresAt, expires));
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var id = HashOf(key);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = database.Open(clock);
        var session = await db.SignInSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.ExpiresAt > now);
        return session is null ? null : TicketSerializer.Default.Deserialize(session.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        var id = HashOf(key);
        await using var db = database.Open(clock);
        await db.SignInSessions.Where(s => s.Id == id).ExecuteDeleteAsync();
    }

    static DateTime ExpiryOf(AuthenticationTicket ticket, DateTime now) =>
        ticket.Properties.ExpiresUtc?.UtcDateTime ?? now + SessionLifetime;

    /// <summary>How long a session lasts without a request (the cookie's sliding expiry).</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    static string HashOf(string key) => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(key)));
}
