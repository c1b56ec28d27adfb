using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Playbook;

namespace Reach.Web.Pages.Playbook;

/// <summary>Writes a playbook item (managers and admins) through <see cref="PlaybookItemInput"/>, as the API does; each save is a new version.</summary>
public sealed class EditModel(ReachDb db) : RecordPage(db)
{
    public List<string> StageNames { get; private set; } = [];
    public bool IsNew => Form.Id is null;

    [BindProperty] public ItemForm Form { get; set; } = new();

    public sealed class ItemForm
    {
        public Guid? Id { get; set; }
        public int Version { get; set; }
        public PlaybookKind Kind { get; set; } = PlaybookKind.Script;
        public string? Title { get; set; }
        public string? Body { get; set; }
        public string? Link { get; set; }
        public Tier? Segment { get; set; }
        public Channel? Channel { get; set; }
        public string? Stage { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(Guid? id, string? kind, CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(Actor);
        if (id is { } existing)
        {
            var item = await Db.PlaybookItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == existing, cancellationToken);
            if (item is null)
                return NotFound();
            Form = new ItemForm
            {
                Id = item.Id,
                Version = item.Version,
                Kind = item.Kind,
                Title = item.Title,
                Body = item.Body,
                Link = item.Link,
                Segment = item.Segment,
                Channel = item.Channel,
                Stage = item.Stage,
            };
        }
        else if (kind is not null && EnumNames.Parse<PlaybookKind>(kind) is { } k)
        {
            Form.Kind = k;
        }
        StageNames = await IndexModel.StageNamesAsync(Db, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        AccessRules.CheckPlaybookChange(Actor);
        PlaybookItem? item = null;
        var saved = !UnreadableFields(nameof(Form)) && await SaveAsync(async () =>
        {
            item = Form.Id is { } id
                ? await Db.PlaybookItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw new InputException("title", "This item was removed meanwhile.")
                : new PlaybookItem { Title = "" };
            if (Form.Id is not null && item.Version != Form.Version)
                throw new InputException("version", $"Someone saved version {item.Version} of this item since you opened it; open it again and reapply your change.");
            var input = new PlaybookItemInput
            {
                Kind = Form.Kind,
                Title = Form.Title,
                Body = Form.Body,
                Link = Form.Link,
                Segment = Form.Segment,
                Channel = Form.Channel,
                Stage = Form.Stage,
            };
            await input.ApplyAsync(Db, item, cancellationToken);
            if (Form.Id is null)
                Db.PlaybookItems.Add(item);
            await Db.SaveChangesAsync(cancellationToken);
        });
        if (saved)
            return Redirect($"/Playbook/Item/{item!.Id}?saved=1");
        StageNames = await IndexModel.StageNamesAsync(Db, cancellationToken);
        return Page();
    }
}
