using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>One playbook item: its text, its tags and its history (who changed what, when); a previous version is read with <c>?version=N</c>.</summary>
public sealed class ItemModel(ReachDb db) : RecordPage(db)
{
    public PlaybookItem Item { get; private set; } = null!;
    public List<PlaybookItemVersion> Versions { get; private set; } = [];

    /// <summary>The version shown: the current one unless an older one was asked for.</summary>
    public PlaybookItemVersion? Shown { get; private set; }
    public bool CanEdit => AccessRules.MayChangePlaybook(Actor);

    public async Task<IActionResult> OnGetAsync(Guid id, int? version, CancellationToken cancellationToken)
    {
        var item = await Db.PlaybookItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (item is null)
            return NotFound();
        Item = item;
        Versions = await Db.PlaybookItemVersions.AsNoTracking().Where(v => v.ItemId == id).OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
        Shown = version is { } n && n != item.Version ? Versions.FirstOrDefault(v => v.Version == n) : null;
        if (version is not null && version != item.Version && Shown is null)
            return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(Actor);
        if (await Db.PlaybookItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) is { } item)
        {
            Db.PlaybookItems.Remove(item);
            await Db.SaveChangesAsync(cancellationToken);
        }
        return Redirect("/Playbook?deleted=1");
    }
}
