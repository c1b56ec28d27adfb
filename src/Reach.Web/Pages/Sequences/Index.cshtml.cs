using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Reach.Outreach;
using Reach.Web.Api;

namespace Reach.Web.Pages.Sequences;

/// <summary>The sequences the user can see, with their enrolments by status; a new one starts from the seed's pattern.</summary>
public sealed class IndexModel(ReachDb db, OutreachService outreach) : RecordPage(db)
{
    public List<SequencesApi.SequenceSummary> Sequences { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Sequence? created = null;
        if (await SaveAsync(async () => created = await outreach.CreateAsync(SequenceInput.Starter(Name ?? ""), cancellationToken)))
            return Redirect($"/Sequences/{created!.Id}");
        await LoadAsync(cancellationToken);
        return Page();
    }

    async Task LoadAsync(CancellationToken cancellationToken) =>
        Sequences = await Db.Sequences.AsNoTracking().OrderBy(s => s.Name).Select(s => new SequencesApi.SequenceSummary(s.Id, s.Name, s.Paused, s.Steps.Count,
            Db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Active),
            Db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Paused),
            Db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Finished),
            Db.Enrolments.Count(e => e.SequenceId == s.Id && e.Status == EnrolmentStatus.Stopped))).Take(500).ToListAsync(cancellationToken);
}
