using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Products;

namespace Reach.Imports;

// People and the price list: users (invited, never given a password in a file), their teams under their managers, and
// products. Kept to what an import needs; user and team administration lives in Access.
public sealed partial class Importer
{
    readonly Dictionary<string, Team> teamsByName = new(StringComparer.OrdinalIgnoreCase);

    async Task PrefetchUsersAsync(CancellationToken cancellationToken)
    {
        // A workspace has tens or hundreds of users: all of them, tracked, so managers made by one row serve the next.
        matches.Clear();
        teamsByName.Clear();
        foreach (var u in await db.Users.OrderBy(u => u.CreatedAt).ToListAsync(cancellationToken))
            IndexUser(u);
        foreach (var t in await db.Teams.ToListAsync(cancellationToken))
            teamsByName.TryAdd(t.Name, t);
    }

    void IndexUser(User u) => Index(u, u.Email is null ? null : Key("email", u.Email.ToLowerInvariant()), NameKey("user-name", u.Name));

    /// <summary>
    /// A user row: the person (matched by e-mail, else full name) with their role, in their team; the team is the row's
    /// team column, named with the manager's name when there is one ("Central (Dustin Brinkmann)": one team per
    /// manager), managed by the manager, who is made a user too when the workspace has none of that name.
    /// </summary>
    Outcome ApplyUser(ImportRow row)
    {
        var email = EmailOf(row);
        var name = row.Text("name") ?? email;
        var managerName = row.Text("manager");
        var role = row.Read("role", t => CellParser.ParseEnum<UserRole>(t));
        if (name is null)
            return Outcome.Rejected;
        // The rules of a user any way in adds (a row without an e-mail is a person known by name: a manager, say).
        if (!Valid(row, new NewUser { Email = email ?? "someone@imported.invalid", Name = name, Role = role }))
            return Outcome.Rejected;

        var manager = managerName is null ? null : Match<User>(NameKey("user-name", managerName), Key("email", managerName.ToLowerInvariant()))
            ?? NewUser(managerName, null, UserRole.Manager);
        var teamName = (row.Text("team"), managerName) switch
        {
            ({ } team, { } by) => $"{team} ({by})",
            ({ } team, null) => team,
            (null, { } by) => $"{by}'s team",
            _ => null,
        };
        Team? teamOf = null;
        if (teamName is not null && !teamsByName.TryGetValue(teamName, out teamOf))
        {
            teamOf = new Team { Name = teamName };
            db.Teams.Add(teamOf);
            teamsByName[teamName] = teamOf;
            report.TeamsCreated++;
        }
        if (manager is not null && teamOf is not null)
        {
            teamOf.ManagerId ??= manager.Id;
            manager.TeamId ??= teamOf.Id;
            if (manager.Role == UserRole.Rep)
                manager.Role = UserRole.Manager;
        }

        var existing = Match<User>(email is null ? null : Key("email", email), NameKey("user-name", name));
        var user = existing ?? NewUser(name, email, role ?? UserRole.Rep);
        if (existing is not null)
        {
            if (role is { } r && user.Role != r)
                user.Role = r;
            if (email is not null && user.Email is null)
                (user.Email, user.NormalizedEmail) = (email, email.ToUpperInvariant());
        }
        if (teamOf is not null && user.Id != manager?.Id)
            user.TeamId = teamOf.Id;
        if (existing is null)
            return Outcome.Inserted;
        return Settle(user, isNew: false);
    }

    /// <summary>A user without a password: they choose one through the one-time link the import prints (e-mail needed to sign in).</summary>
    User NewUser(string name, string? email, UserRole role)
    {
        var user = UserDirectory.Invited(new NewUser { Email = email, Name = name, Role = role });
        user.CreatedAt = db.UtcNow;
        db.Users.Add(user);
        IndexUser(user);
        report.UsersInvited++;
        if (email is not null)
            report.InvitedUserIds.Add(user.Id);
        else
            report.UsersWithoutEmail++;
        return user;
    }

    async Task PrefetchProductsAsync(CancellationToken cancellationToken)
    {
        matches.Clear();
        foreach (var p in await db.Products.OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken))
            IndexProduct(p);
    }

    void IndexProduct(Product p) => Index(p, p.Sku is null ? null : Key("sku", p.Sku), Key("name", CellParser.Squash(p.Name)));

    /// <summary>A product row, matched by SKU, else by name ignoring case, spaces and punctuation (noted when only that way).</summary>
    Outcome ApplyProduct(ImportRow row)
    {
        var name = row.Text("name");
        var sku = row.Text("sku");
        var price = row.Read("listPrice", CellParser.ParseMoney);
        var existing = Match<Product>(sku is null ? null : Key("sku", sku), name is null ? null : Key("name", CellParser.Squash(name)));
        if (existing is not null && name is not null && !string.Equals(existing.Name, name, StringComparison.OrdinalIgnoreCase))
            summary.Notes.Add($"Row {row.Number}: '{name}' was read as the product '{existing.Name}' (the names differ only in spaces or punctuation).");
        var isNew = existing is null;
        var current = existing is null ? new ProductInput() : ProductInput.From(existing);
        var input = current with
        {
            Name = existing?.Name ?? name,
            Sku = sku ?? current.Sku,
            Description = row.Text("description") ?? current.Description,
            ListPrice = price?.Amount ?? current.ListPrice ?? 0m,
            Currency = row.Text("currency")?.ToUpperInvariant() ?? price?.Currency ?? current.Currency ?? workspaceCurrency,
        };
        if (!Valid(row, input))
            return Outcome.Rejected;
        var product = existing ?? input.ToNew();
        input.ApplyTo(product);
        currencies.Add(product.Currency);
        if (isNew)
        {
            db.Products.Add(product);
            IndexProduct(product);
        }
        return Settle(product, isNew);
    }
}
