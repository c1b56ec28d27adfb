using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>Seed 004's start-selling checklist against the workspace (<see cref="StartSellingChecklist"/>, as the API counts it).</summary>
public sealed class ChecklistModel(ReachDb db) : RecordPage(db)
{
    public ChecklistView Checklist { get; private set; } = new(0, 0, []);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Checklist = await StartSellingChecklist.ComputeAsync(Db, Db.UtcNow, cancellationToken);
}
