using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Api;

/// <summary>A deal's cast of characters: its contacts with the part each plays, and which needed parts nobody plays yet.</summary>
public static class DealContactsApi
{
    public static void MapDealContactsApi(this RouteGroupBuilder deals)
    {
        var group = deals.MapGroup("/{id:guid}/contacts").WithTags("Deals");
        group.MapGet("/", List).Produces<DealCast>().ProducesProblem(404);
        group.MapPost("/", Put).Produces<DealCast>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<DealContactInput>("The contact and their role in this deal; a contact already on the deal gets the new role.");
        group.MapPatch("/{contactId:guid}", ChangeRole).Produces<DealCast>().ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404)
            .WithJsonBody<DealContactRole>("The contact's new role in this deal.");
        group.MapDelete("/{contactId:guid}", Remove).Produces(204).ProducesProblem(403).ProducesProblem(404);
    }

    public static async Task<IResult> List(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        await RecordEndpoints<Deal, DealInput>.FindAsync(db, id, cancellationToken);
        return TypedResults.Ok(await DealCast.LoadAsync(db, id, cancellationToken));
    }

    public static async Task<IResult> Put(Guid id, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var input = JsonBody.Deserialize<DealContactInput>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var deal = await RecordEndpoints<Deal, DealInput>.FindAsync(db, id, cancellationToken);
        await input.ApplyAsync(db, deal, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DealCast.LoadAsync(db, id, cancellationToken));
    }

    public static async Task<IResult> ChangeRole(Guid id, Guid contactId, HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        var body = JsonBody.Deserialize<DealContactRole>(await JsonBody.ReadObjectAsync(http.Request, cancellationToken), JsonBody.Options(http));
        var deal = await RecordEndpoints<Deal, DealInput>.FindAsync(db, id, cancellationToken);
        if (!await db.DealContacts.AnyAsync(l => l.DealId == id && l.ContactId == contactId, cancellationToken))
            throw ApiException.NotFound("contact on this deal", contactId);
        await new DealContactInput { ContactId = contactId, Role = body.Role }.ApplyAsync(db, deal, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(await DealCast.LoadAsync(db, id, cancellationToken));
    }

    public static async Task<IResult> Remove(Guid id, Guid contactId, ReachDb db, CancellationToken cancellationToken)
    {
        await RecordEndpoints<Deal, DealInput>.FindAsync(db, id, cancellationToken);
        var link = await db.DealContacts.FirstOrDefaultAsync(l => l.DealId == id && l.ContactId == contactId, cancellationToken)
            ?? throw ApiException.NotFound("contact on this deal", contactId);
        db.DealContacts.Remove(link);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }
}

public sealed record DealContactRole
{
    [System.ComponentModel.DataAnnotations.Required] public ContactRole? Role { get; init; }
}

/// <summary>A deal's contacts (those the reader may see) and the needed roles (champion, economic buyer) nobody plays.</summary>
public sealed record DealCast(IReadOnlyList<DealCastMember> Items, IReadOnlyList<ContactRole> Missing)
{
    public static async Task<DealCast> LoadAsync(ReachDb db, Guid dealId, CancellationToken cancellationToken)
    {
        var members = await (from l in db.DealContacts.AsNoTracking()
                             join c in db.Contacts.AsNoTracking() on l.ContactId equals c.Id
                             where l.DealId == dealId
                             orderby l.AddedAt
                             select new DealCastMember(c.Id, c.FirstName + (c.LastName == null ? "" : " " + c.LastName), c.Title, c.Email, l.Role)).ToListAsync(cancellationToken);
        return new DealCast(members, DealContact.Missing(members.Select(m => m.Role)));
    }
}

public sealed record DealCastMember(Guid ContactId, string Name, string? Title, string? Email, ContactRole Role);
