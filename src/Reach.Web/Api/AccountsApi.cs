using Microsoft.EntityFrameworkCore;
using Reach.Accounts;
using Reach.Data;

namespace Reach.Web.Api;

public static class AccountsApi
{
    static readonly SortKeys<Account> Sorts = new SortKeys<Account>("name")
        .Add("name", a => a.Name).Add("createdAt", a => a.CreatedAt).Add("updatedAt", a => a.UpdatedAt)
        .Add("employees", a => a.Employees).Add("domain", a => a.Domain);

    public static void MapAccountsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/accounts").WithTags("Accounts");
        group.MapGet("/", List);
        RecordEndpoints<Account, AccountInput>.MapRecord(group);
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        // q, owner and the active plan's routes (docs/planner.md "Routing"), as the list pages filter them.
        var accounts = (await query.FilterAsync(db, routed: true, cancellationToken)).Apply(db.Accounts.AsNoTracking());
        if (query.Enum<Channel>("channel") is { } channel)
            accounts = accounts.Where(a => a.Channel == channel);
        if (query.Enum<Tier>("tier") is { } tier)
            accounts = accounts.Where(a => a.Tier == tier);
        if (query.Enum<Lifecycle>("lifecycle") is { } lifecycle)
            accounts = accounts.Where(a => a.Lifecycle == lifecycle);
        if (query.Text("industry") is { } industry)
            accounts = accounts.Where(a => a.Industry == industry);
        if (query.Text("domain") is { } domain)
        {
            var normalised = Account.NormaliseDomain(domain);
            accounts = accounts.Where(a => a.Domain == normalised);
        }
        accounts = Ranges.Filter(query, accounts);
        return TypedResults.Ok(await query.PageAsync(accounts, Sorts, cancellationToken));
    }
}
