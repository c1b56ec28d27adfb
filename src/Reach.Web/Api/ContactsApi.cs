using Microsoft.EntityFrameworkCore;
using Reach.Contacts;
using Reach.Data;

namespace Reach.Web.Api;

public static class ContactsApi
{
    static readonly SortKeys<Contact> Sorts = new SortKeys<Contact>("lastName")
        .Add("lastName", c => c.LastName).Add("firstName", c => c.FirstName).Add("email", c => c.Email)
        .Add("createdAt", c => c.CreatedAt).Add("updatedAt", c => c.UpdatedAt);

    public static void MapContactsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/contacts").WithTags("Contacts");
        group.MapGet("/", List);
        RecordEndpoints<Contact, ContactInput>.MapRecord(group);
        RecordEndpoints<Contact, ContactInput>.MapShares(group);
        var privacy = group.MapGroup("").RequireAuthorization(Access.ReachAccess.AdminPolicy);
        privacy.MapGet("/{id:guid}/personal-data", ExportPersonalData).ProducesProblem(404);
        privacy.MapPost("/{id:guid}/erase", ErasePersonalData).Produces<Contact>().ProducesProblem(404);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        // q (name or e-mail) and owner, as the list pages filter them.
        var contacts = (await query.FilterAsync(db, routed: false, cancellationToken)).Apply(db.Contacts.AsNoTracking());
        if (query.Text("email") is { } email)
        {
            var normalised = email.ToLowerInvariant();
            contacts = contacts.Where(c => c.Email == normalised);
        }
        if (query.Id("account") is { } account)
            contacts = contacts.Where(c => c.AccountId == account);
        if (query.Enum<ContactRole>("role") is { } role)
            contacts = contacts.Where(c => c.Role == role);
        contacts = Ranges.Filter(query, contacts);
        return TypedResults.Ok(await query.PageAsync(contacts, Sorts, cancellationToken));
    }

    public static async Task<IResult> ExportPersonalData(Guid id, ReachDb db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await PersonalData.ExportAsync(db, await RecordEndpoints<Contact, ContactInput>.FindAsync(db, id, cancellationToken), cancellationToken));

    public static async Task<IResult> ErasePersonalData(Guid id, ReachDb db, CancellationToken cancellationToken)
    {
        var contact = await RecordEndpoints<Contact, ContactInput>.FindAsync(db, id, cancellationToken);
        await PersonalData.EraseAsync(db, contact, cancellationToken);
        return TypedResults.Ok(contact);
    }
}
