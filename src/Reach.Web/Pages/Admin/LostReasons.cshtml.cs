using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Deals;

namespace Reach.Web.Pages.Admin;

/// <summary>The workspace's lost reasons, for admins: add, rename, reorder, retire. Same rules as /api/v1/lost-reasons.</summary>
public sealed class LostReasonsModel(ReachDb db) : RecordPage(db)
{
    public List<LostReason> Reasons { get; private set; } = [];
    public Dictionary<string, int> Uses { get; private set; } = [];

    [BindProperty] public ReasonForm Reason { get; set; } = new();

    public sealed class ReasonForm
    {
        public Guid? Id { get; set; }
        public string? Name { get; set; }
        public int? Position { get; set; }
        public bool IsActive { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        RequireAdmin();
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        RequireAdmin();
        var saved = await SaveAsync(async () =>
        {
            var reason = Reason.Id is { } id
                ? await Db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw new InputException("name", "That reason was removed meanwhile.")
                : new LostReason { Name = "" };
            await new LostReasonInput { Name = Reason.Name, Position = Reason.Position, IsActive = Reason.IsActive }.ApplyAsync(Db, reason, cancellationToken);
            if (Reason.Id is null)
                Db.LostReasons.Add(reason);
            await Db.SaveChangesAsync(cancellationToken);
        });
        if (saved)
            return Redirect("/Admin/LostReasons?saved=1");
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        RequireAdmin();
        if (await Db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) is { } reason)
        {
            Db.LostReasons.Remove(reason);
            await Db.SaveChangesAsync(cancellationToken);
        }
        return Redirect("/Admin/LostReasons?deleted=1");
    }

    void RequireAdmin()
    {
        if (!Actor.IsAdmin)
            throw new AccessDeniedException("Lost reasons are settings: only an admin changes them.");
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        Reasons = await Db.LostReasons.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(cancellationToken);
        var names = Reasons.Select(r => r.Name).ToList();
        Uses = await Db.Deals.AsNoTracking().Where(d => d.Status == DealStatus.Lost && d.LostReason != null && names.Contains(d.LostReason))
            .GroupBy(d => d.LostReason!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}
