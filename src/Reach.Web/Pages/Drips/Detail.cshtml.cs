using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Reach.Access;
using Reach.Data;
using Reach.Outreach;
using Reach.Web.Api;

namespace Reach.Web.Pages.Drips;

/// <summary>One drip track: its settings, audience (with the preview count) and pieces edited in place, pause/resume, and what was sent to whom.</summary>
public sealed class DetailModel(ReachDb db, DripService drips, OutreachSender sender) : RecordPage(db)
{
    public DripTrack Track { get; private set; } = null!;
    public DripPreview Preview { get; private set; } = new(0, []);
    public List<DripsApi.DripSendView> Sends { get; private set; } = [];
    public List<string> Segments { get; private set; } = [];

    [BindProperty] public DripForm Form { get; set; } = new();

    public sealed class DripForm
    {
        public string? Name { get; set; }
        public int Every { get; set; } = 2;
        public CadenceUnit Unit { get; set; } = CadenceUnit.Weeks;
        public int MinimumGapDays { get; set; } = 7;
        public string? TimeZone { get; set; }
        public int WindowStartHour { get; set; } = 9;
        public int WindowEndHour { get; set; } = 17;
        public Tier? AudienceTier { get; set; }
        public Channel? AudienceChannel { get; set; }
        public string? AudienceSegment { get; set; }

        /// <summary>The explicit list, one contact e-mail per line.</summary>
        public string? ContactEmails { get; set; }
        public List<PieceForm> Pieces { get; set; } = [];
    }

    public sealed class PieceForm
    {
        public string? Subject { get; set; }
        public string? Body { get; set; }
        public bool Remove { get; set; }
    }

    public bool MaySendNow => Actor.IsManagerOrAdmin;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        Form = await FormOfAsync(Track, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var saved = await SaveAsync(async () =>
        {
            var input = new DripInput
            {
                Name = Form.Name,
                Every = Form.Every,
                Unit = Form.Unit,
                MinimumGapDays = Form.MinimumGapDays,
                TimeZone = Form.TimeZone,
                WindowStartHour = Form.WindowStartHour,
                WindowEndHour = Form.WindowEndHour,
                AudienceTier = Form.AudienceTier,
                AudienceChannel = Form.AudienceChannel,
                AudienceSegment = Form.AudienceSegment,
                ContactIds = await ContactIdsAsync(Form.ContactEmails, cancellationToken),
                // The blank row at the end adds a piece only when something was written in it.
                Pieces = [.. Form.Pieces.Where(p => !p.Remove && !(string.IsNullOrWhiteSpace(p.Subject) && string.IsNullOrWhiteSpace(p.Body) && p == Form.Pieces[^1] && Form.Pieces.Count > Track.Pieces.Count))
                    .Select(p => new PieceInput { Subject = p.Subject, Body = p.Body })],
            };
            await drips.UpdateAsync(Track, input, cancellationToken);
        });
        if (saved)
        {
            Notice = "Drip track saved.";
            await LoadAsync(id, cancellationToken);
            Form = await FormOfAsync(Track, cancellationToken);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostPauseAsync(Guid id, bool paused, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        await drips.SetPausedAsync(Track, paused, cancellationToken);
        return Redirect($"/Drips/{id}");
    }

    public async Task<IActionResult> OnPostSendNowAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!MaySendNow)
            return Forbid();
        if (!await LoadAsync(id, cancellationToken))
            return NotFound();
        var run = await sender.RunOnceAsync(cancellationToken);
        await LoadAsync(id, cancellationToken);
        Form = await FormOfAsync(Track, cancellationToken);
        Notice = $"Sender ran: {run.DripsScheduled} piece(s) queued, {run.DripsSent} sent, {run.DripsFailed} failed (and {run.Sent} sequence email(s) sent).";
        return Page();
    }

    // The list's e-mails, resolved among the contacts the user can see; one not found is named, not dropped.
    async Task<List<Guid>> ContactIdsAsync(string? emails, CancellationToken cancellationToken)
    {
        var wanted = (emails ?? "").Split(['\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(e => e.ToLowerInvariant()).Distinct().ToList();
        if (wanted.Count == 0)
            return [];
        var found = await Db.Contacts.Where(c => c.Email != null && wanted.Contains(c.Email.ToLower())).Select(c => new { c.Id, Email = c.Email!.ToLower() }).ToListAsync(cancellationToken);
        if (wanted.FirstOrDefault(w => found.All(f => f.Email != w)) is { } missing)
            throw new InputException("contactIds", $"No contact you can see has the e-mail '{missing}'.");
        return [.. found.Select(f => f.Id).Distinct()];
    }

    async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        Db.ChangeTracker.Clear();
        var track = await drips.FindAsync(id, cancellationToken);
        if (track is null)
            return false;
        Track = track;
        Preview = await drips.PreviewAsync(track, cancellationToken);
        Sends = await DripsApi.SendViews(Db.DripSends.AsNoTracking().Where(s => s.TrackId == id)).Take(200).ToListAsync(cancellationToken);
        Segments = await Db.Accounts.AsNoTracking().Where(a => a.Segment != null).Select(a => a.Segment!).Distinct().OrderBy(s => s).Take(100).ToListAsync(cancellationToken);
        return true;
    }

    async Task<DripForm> FormOfAsync(DripTrack t, CancellationToken cancellationToken)
    {
        var memberIds = t.Members.Select(m => m.ContactId).ToList();
        var emails = await Db.Contacts.AsNoTracking().Where(c => memberIds.Contains(c.Id) && c.Email != null).OrderBy(c => c.Email).Select(c => c.Email!).ToListAsync(cancellationToken);
        var form = new DripForm
        {
            Name = t.Name,
            Every = t.Every,
            Unit = t.Unit,
            MinimumGapDays = t.MinimumGapDays,
            TimeZone = t.TimeZone,
            WindowStartHour = t.WindowStartHour,
            WindowEndHour = t.WindowEndHour,
            AudienceTier = t.AudienceTier,
            AudienceChannel = t.AudienceChannel,
            AudienceSegment = t.AudienceSegment,
            ContactEmails = string.Join("\n", emails),
        };
        form.Pieces.AddRange(t.Pieces.OrderBy(p => p.Position).Select(p => new PieceForm { Subject = p.Subject, Body = p.Body }));
        // A blank row to add a piece; left blank, it is ignored.
        form.Pieces.Add(new PieceForm());
        return form;
    }
}
