using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Leads;
using Reach.Web.Access;
using Reach.Web.Security;

namespace Reach.Web.Api;

public static class LeadsApi
{
    static readonly SortKeys<Lead> Sorts = new SortKeys<Lead>("-receivedAt")
        .Add("receivedAt", l => l.ReceivedAt).Add("lastName", l => l.LastName).Add("company", l => l.Company)
        .Add("createdAt", l => l.CreatedAt).Add("updatedAt", l => l.UpdatedAt);

    public static void MapLeadsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/leads").WithTags("Leads");
        group.MapGet("/", List);
        group.MapPost("/capture", Capture).RequireRateLimiting(ApiRateLimit.LeadCapturePolicy)
            .WithJsonBody<CaptureInput>("A website form's lead: received now, routed and assigned to a rep of its channel at once.")
            .Produces<Captured>(201).ProducesValidationProblem().ProducesProblem(403).ProducesProblem(429);
        RecordEndpoints<Lead, LeadInput>.MapRecord(group);
        RecordEndpoints<Lead, LeadInput>.MapShares(group);
    }

    /// <summary>The capture endpoint's path: the only call a lead-capture token may make.</summary>
    public const string CapturePath = "/api/v1/leads/capture";

    /// <summary>What a website form may send: the lead's own fields, never its owner, status, tier or arrival time.</summary>
    public sealed record CaptureInput
    {
        public string? FirstName { get; init; }
        public string? LastName { get; init; }
        public string? Email { get; init; }
        public string? Phone { get; init; }
        public string? Title { get; init; }
        public string? Company { get; init; }
        public string? Domain { get; init; }
        public int? Employees { get; init; }
        public string? Industry { get; init; }
        public decimal? ExpectedAcv { get; init; }
        public string? Campaign { get; init; }
    }

    /// <summary>The captured lead's id; nothing else, the token may not read it.</summary>
    public sealed record Captured(Guid Id);

    public static async Task<IResult> Capture(HttpContext http, ReachDb db, CancellationToken cancellationToken)
    {
        if (http.User.FindFirstValue(TokenAuthentication.ScopeClaim) != nameof(TokenScope.LeadCapture))
            throw new AccessDeniedException("Leads are captured with a lead-capture token (scope lead_capture); create one under Settings → API tokens.");
        var body = await JsonBody.ReadAsync<CaptureInput>(http, cancellationToken);
        // The lead's one input rule, as every other way in: received now, routed and assigned (LeadInput.ApplyAsync).
        var input = new LeadInput
        {
            FirstName = body.FirstName,
            LastName = body.LastName,
            Email = body.Email,
            Phone = body.Phone,
            Title = body.Title,
            Company = body.Company,
            Domain = body.Domain,
            Employees = body.Employees,
            Industry = body.Industry,
            ExpectedAcv = body.ExpectedAcv,
            Campaign = body.Campaign,
            Source = LeadSource.Inbound,
            Status = LeadStatus.New,
        };
        InputRules.Validate(input);
        var lead = input.ToNew();
        await input.ApplyAsync(db, lead, cancellationToken);
        db.Leads.Add(lead);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created((string?)null, new Captured(lead.Id));
    }

    public static async Task<IResult> List(HttpRequest request, ReachDb db, CancellationToken cancellationToken)
    {
        var query = new ListQuery(request.Query);
        // q, owner and the active plan's routes (docs/planner.md "Routing"), as the list pages filter them.
        var leads = (await query.FilterAsync(db, routed: true, cancellationToken)).Apply(db.Leads.AsNoTracking());
        if (query.Enum<LeadStatus>("status") is { } status)
            leads = leads.Where(l => l.Status == status);
        if (query.Enum<LeadSource>("source") is { } source)
            leads = leads.Where(l => l.Source == source);
        if (query.Time("receivedFrom") is { } from)
            leads = leads.Where(l => l.ReceivedAt >= from);
        if (query.Until("receivedTo") is { } to)
            leads = leads.Where(l => l.ReceivedAt < to);
        leads = Ranges.Filter(query, leads);
        return TypedResults.Ok(await query.PageAsync(leads, Sorts, cancellationToken));
    }
}
