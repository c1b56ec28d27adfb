using Microsoft.AspNetCore.Mvc;
using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>
/// The competitive matrix as an editable table: a row per competitor, a column per criterion, and the win rate against
/// each from the closed deals naming it. Managers and admins edit it in place (a blank name removes its row or column;
/// the empty last row and column add one); it saves through <see cref="CompetitiveMatrix.WriteAsync"/>, as the API does.
/// </summary>
public sealed class MatrixModel(ReachDb db) : RecordPage(db)
{
    public MatrixView Matrix { get; private set; } = new([], []);
    public bool CanEdit => AccessRules.MayChangePlaybook(Actor);

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Matrix = await CompetitiveMatrix.ReadAsync(Db, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(Actor);
        var form = Request.Form;
        string Field(string name) => form[name].FirstOrDefault()?.Trim() ?? "";
        var columns = Enumerable.Range(0, 31).Select(j => (Index: j, Name: Field($"criterion-{j}"))).Where(c => c.Name.Length > 0).ToList();
        var rows = new List<MatrixRowInput>();
        for (var i = 0; i <= 100 && form.ContainsKey($"name-{i}"); i++)
        {
            var name = Field($"name-{i}");
            if (name.Length == 0)
                continue;
            rows.Add(new MatrixRowInput { Name = name, Cells = columns.ToDictionary(c => c.Name, c => Field($"cell-{i}-{c.Index}")) });
        }
        var saved = await SaveAsync(() => CompetitiveMatrix.WriteAsync(Db, new MatrixInput { Criteria = [.. columns.Select(c => c.Name)], Competitors = rows }, cancellationToken));
        if (saved)
            return Redirect("/Playbook/Matrix?saved=1");
        Matrix = await CompetitiveMatrix.ReadAsync(Db, cancellationToken);
        return Page();
    }

    public static string Rate(MatrixRow row) =>
        row.WinRate is { } rate ? rate.ToString("P0", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
