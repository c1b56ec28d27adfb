using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Outreach;
using Reach.Web.Api;

namespace Reach.Web.Pages.Drips;

/// <summary>The drip tracks the user can see, with their pieces sent and waiting; a new one starts paused from a starter piece.</summary>
public sealed class IndexModel(ReachDb db, DripService drips) : RecordPage(db)
{
    public List<DripsApi.DripSummary> Tracks { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tracks = await DripsApi.Summaries(Db).ToListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        DripTrack? created = null;
        // Paused until its owner has looked at the audience and the pieces: a new track must not mail a segment by surprise.
        if (await SaveAsync(async () => created = await drips.CreateAsync(DripInput.Starter(Name ?? ""), cancellationToken, paused: true)))
            return Redirect($"/Drips/{created!.Id}");
        Tracks = await DripsApi.Summaries(Db).ToListAsync(cancellationToken);
        return Page();
    }
}
