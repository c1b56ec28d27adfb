using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MimeKit;
using Reach.Activities;
using Reach.Data;
using Reach.Deals;
using Reach.Outreach;

namespace Reach.Playbook;

/// <summary>
/// A proposal, order form or agreement made from a deal: the PDF as it was drawn, the template and version it came
/// from, who made it and when, and whether it was sent and to whom. Never changed once drawn (only its sending is noted);
/// changed by whoever may change the deal (<c>AccessRules</c>).
/// </summary>
public class DealDocument
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DealId { get; set; }
    public PlaybookKind Kind { get; set; }
    public Guid? TemplateId { get; set; }
    public required string TemplateTitle { get; set; }

    /// <summary>The template's version the document was drawn from.</summary>
    public int TemplateVersion { get; set; }
    public required string FileName { get; set; }
    [JsonIgnore]
    public byte[] Content { get; set; } = [];
    public int Size { get; set; }
    public DateTime CreatedAt { get; set; }
    public Guid? CreatedById { get; set; }
    public string CreatedByName { get; set; } = "";
    public DateTime? SentAt { get; set; }
    public string? SentTo { get; set; }
}

sealed class DealDocumentMapping : IEntityTypeConfiguration<DealDocument>
{
    public void Configure(EntityTypeBuilder<DealDocument> document)
    {
        document.Property(d => d.Kind).HasConversion<string>().HasMaxLength(30);
        document.Property(d => d.TemplateTitle).HasMaxLength(PlaybookItemInput.TitleLength);
        document.Property(d => d.FileName).HasMaxLength(200);
        document.Property(d => d.CreatedByName).HasMaxLength(200);
        document.Property(d => d.SentTo).HasMaxLength(254);
        document.HasOne<Deal>().WithMany().HasForeignKey(d => d.DealId).OnDelete(DeleteBehavior.Cascade);
        document.HasOne<PlaybookItem>().WithMany().HasForeignKey(d => d.TemplateId).OnDelete(DeleteBehavior.SetNull);
        document.HasIndex(d => new { d.DealId, d.CreatedAt });
    }
}

/// <summary>How a document is sent: to whom (the deal's primary contact when empty), with what subject and note.</summary>
public sealed record DocumentSendInput
{
    [EmailAddress, StringLength(254)] public string? To { get; init; }
    [StringLength(300)] public string? Subject { get; init; }
    [StringLength(5000)] public string? Message { get; init; }
}

/// <summary>
/// Documents from a deal: a template (a playbook item of kind proposal, order form or agreement) filled with the deal's
/// account, contacts, line items, totals, terms and dates, drawn to PDF, stored on the deal, and sent from the rep's own
/// mailbox. The API, the deal page and the CLI call these.
/// </summary>
public static class DealDocuments
{
    /// <summary>The playbook kinds that are document templates.</summary>
    public static readonly PlaybookKind[] TemplateKinds = [PlaybookKind.Proposal, PlaybookKind.OrderForm, PlaybookKind.Agreement];

    public static bool IsTemplate(PlaybookKind kind) => TemplateKinds.Contains(kind);

    /// <summary>A document kind as a customer reads it.</summary>
    public static string Words(PlaybookKind kind) => kind switch
    {
        PlaybookKind.OrderForm => "Order form",
        PlaybookKind.Agreement => "Agreement",
        _ => "Proposal",
    };

    /// <summary>The deal's documents, newest first (without their bytes).</summary>
    public static Task<List<DealDocument>> ListAsync(ReachDb db, Guid dealId, CancellationToken cancellationToken) =>
        db.DealDocuments.AsNoTracking().Where(d => d.DealId == dealId).OrderByDescending(d => d.CreatedAt)
            .Select(d => new DealDocument
            {
                Id = d.Id,
                DealId = d.DealId,
                Kind = d.Kind,
                TemplateId = d.TemplateId,
                TemplateTitle = d.TemplateTitle,
                TemplateVersion = d.TemplateVersion,
                FileName = d.FileName,
                Size = d.Size,
                CreatedAt = d.CreatedAt,
                CreatedById = d.CreatedById,
                CreatedByName = d.CreatedByName,
                SentAt = d.SentAt,
                SentTo = d.SentTo,
            }).ToListAsync(cancellationToken);

    /// <summary>The templates a deal can be drawn from, by kind then title.</summary>
    public static Task<List<PlaybookItem>> TemplatesAsync(ReachDb db, CancellationToken cancellationToken) =>
        db.PlaybookItems.AsNoTracking().Where(i => TemplateKinds.Contains(i.Kind)).OrderBy(i => i.Kind).ThenBy(i => i.Title).ToListAsync(cancellationToken);

    /// <summary>
    /// Draws <paramref name="templateId"/>'s current version for <paramref name="deal"/> (which the caller has read) and
    /// stores it on the deal. A template that is not a document, or whose text names an unknown field, is refused.
    /// </summary>
    public static async Task<DealDocument> GenerateAsync(ReachDb db, Deal deal, Guid? templateId, CancellationToken cancellationToken)
    {
        if (templateId is null)
            throw new InputException("templateId", "Choose a template: a proposal, order form or agreement of the playbook.");
        var template = await db.PlaybookItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == templateId, cancellationToken)
            ?? throw new InputException("templateId", $"No playbook item has the id {templateId}.");
        if (!IsTemplate(template.Kind))
            throw new InputException("templateId", $"'{template.Title}' is a {EnumNames.Of(template.Kind)}, not a document template (proposal, order_form or agreement).");
        if (DealDocumentFields.Problem(template.Body) is { } problem)
            throw new InputException("templateId", $"The template '{template.Title}': {problem}");
        var values = await ValuesAsync(db, deal, template.Version, cancellationToken);
        var pdf = DealDocumentPdf.Render(Words(template.Kind), template.Body, values);
        var document = new DealDocument
        {
            DealId = deal.Id,
            Kind = template.Kind,
            TemplateId = template.Id,
            TemplateTitle = template.Title,
            TemplateVersion = template.Version,
            FileName = FileName(template.Kind, values.AccountName, deal.Name, template.Version),
            Content = pdf,
            Size = pdf.Length,
            CreatedAt = db.UtcNow,
            CreatedById = db.Actor?.UserId,
            CreatedByName = db.Actor?.Name ?? Reach.Audit.AuditTrail.NoActor,
        };
        db.DealDocuments.Add(document);
        await db.SaveChangesAsync(cancellationToken);
        return document;
    }

    /// <summary>
    /// Sends <paramref name="document"/> (tracked) from the acting user's own mailbox with the PDF attached, records the
    /// e-mail on the deal's timeline and notes on the document when and to whom it went.
    /// </summary>
    public static async Task SendAsync(ReachDb db, MailClient mail, Deal deal, DealDocument document, DocumentSendInput input, CancellationToken cancellationToken)
    {
        InputRules.Validate(input);
        var userId = db.Actor?.UserId
            ?? throw new InputException("mailbox", "A document is sent from a person's mailbox; the console has none. Download it instead.");
        var mailbox = await db.MailAccounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, cancellationToken)
            ?? throw new InputException("mailbox", "You have no mailbox connected: connect one under Settings → Mail, then send again.");
        var primary = deal.PrimaryContactId is { } contactId
            ? await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId, cancellationToken)
            : null;
        var to = string.IsNullOrWhiteSpace(input.To) ? primary?.Email : input.To.Trim();
        if (string.IsNullOrEmpty(to))
            throw new InputException("to", "The deal has no primary contact with an e-mail address: write the address to send to.");
        var contact = primary?.Email?.Equals(to, StringComparison.OrdinalIgnoreCase) == true
            ? primary
            : await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Email != null && c.Email.ToLower() == to.ToLower(), cancellationToken);
        var kind = Words(document.Kind);
        var subject = string.IsNullOrWhiteSpace(input.Subject) ? $"{kind}: {deal.Name}" : input.Subject.Trim();
        var note = string.IsNullOrWhiteSpace(input.Message)
            ? $"Hi {contact?.FirstName ?? "there"},\n\nAttached is the {kind.ToLowerInvariant()} for {deal.Name}. Any questions, just reply.\n\n{mailbox.FromName}"
            : input.Message.Trim();

        var now = db.UtcNow;
        var message = new MimeMessage { MessageId = $"{document.Id:N}.{now.Ticks}.reach@{mailbox.FromAddress.Split('@').Last()}", Subject = subject, Date = new DateTimeOffset(now) };
        message.From.Add(new MailboxAddress(mailbox.FromName, mailbox.FromAddress));
        message.To.Add(new MailboxAddress(contact?.FullName ?? "", to));
        var body = new BodyBuilder { TextBody = note };
        body.Attachments.Add(document.FileName, document.Content, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        try
        {
            await mail.SendAsync(mailbox, message, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new InputException("mailbox", $"Your mailbox did not send it: {MailClient.Describe(error)}");
        }

        document.SentAt = now;
        document.SentTo = to;
        db.Activities.Add(new Activity
        {
            Type = ActivityType.Email,
            Direction = Direction.Outbound,
            Subject = subject.Length <= 300 ? subject : subject[..300],
            Body = $"{note}\n\n[{document.FileName} attached]",
            OccurredAt = now,
            CompletedAt = now,
            DealId = deal.Id,
            AccountId = deal.AccountId,
            ContactId = contact?.Id,
            OwnerId = userId,
            ExternalSource = "smtp",
            ExternalId = message.MessageId.Length <= 100 ? message.MessageId : null,
        });
        // The e-mail is out: this save must not be cancelled half-way.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    static async Task<DealDocumentValues> ValuesAsync(ReachDb db, Deal deal, int templateVersion, CancellationToken cancellationToken)
    {
        var account = deal.AccountId is { } accountId
            ? await db.Accounts.AsNoTracking().IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            : null;
        var stage = await db.Stages.AsNoTracking().Where(s => s.Id == deal.StageId).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
        var lines = await db.DealLineItems.AsNoTracking().Where(l => l.DealId == deal.Id).OrderBy(l => l.Id).ToListAsync(cancellationToken);
        var productIds = lines.Select(l => l.ProductId).Distinct().ToList();
        var products = await db.Products.AsNoTracking().IgnoreQueryFilters([ReachDb.SoftDeleteFilter]).Where(p => productIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
        var cast = await db.DealContacts.AsNoTracking().Where(l => l.DealId == deal.Id)
            .Join(db.Contacts.AsNoTracking(), l => l.ContactId, c => c.Id, (l, c) => new { c.Id, c.FirstName, c.LastName, c.Title, c.Email, l.Role })
            .ToListAsync(cancellationToken);
        var primary = deal.PrimaryContactId is { } primaryId
            ? await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == primaryId, cancellationToken)
            : null;
        var owner = deal.OwnerId is { } ownerId ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == ownerId, cancellationToken) : null;
        var sender = db.Actor?.UserId is { } actorId && actorId != owner?.Id
            ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == actorId, cancellationToken) ?? owner
            : owner;
        return new DealDocumentValues
        {
            AccountName = account?.Name ?? "(no account)",
            AccountDomain = account?.Domain,
            DealName = deal.Name,
            Currency = deal.Currency,
            Amount = deal.Amount,
            Stage = stage,
            ExpectedClose = deal.ExpectedClose,
            ContactName = primary?.FullName,
            ContactFirstName = primary?.FirstName,
            ContactTitle = primary?.Title,
            ContactEmail = primary?.Email,
            // The deal's cast, and its primary contact when nobody has cast them yet (a new deal's only contact).
            Contacts = [.. cast.Select(c => (c.Id, c.FirstName, c.LastName, c.Title, c.Role))
                .Concat(primary is not null && cast.All(c => c.Id != primary.Id) ? new[] { (primary.Id, primary.FirstName, primary.LastName, primary.Title, primary.Role) } : [])
                .OrderBy(c => c.FirstName).Select(c => $"{string.Join(' ', new[] { c.FirstName, c.LastName }.Where(n => !string.IsNullOrEmpty(n)))}"
                + (string.IsNullOrEmpty(c.Title) ? "" : $", {c.Title}") + (c.Role == Reach.Contacts.ContactRole.Unknown ? "" : $" ({Labels.Of(c.Role)})"))],
            Lines = [.. lines.Select(l => new DocumentLine(products.GetValueOrDefault(l.ProductId, "(removed product)"), l.Quantity, l.UnitPrice, l.Discount, l.Total))],
            SenderName = sender?.Name ?? db.Actor?.Name ?? "",
            SenderEmail = sender?.Email,
            // The workspace's UTC day, as My day and the reports count days.
            Today = DateOnly.FromDateTime(db.UtcNow),
            TemplateVersion = templateVersion,
        };
    }

    static string FileName(PlaybookKind kind, string account, string deal, int version)
    {
        var words = $"{Words(kind)} {account} {deal} v{version}";
        var safe = new string([.. words.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')]);
        while (safe.Contains("--", StringComparison.Ordinal))
            safe = safe.Replace("--", "-", StringComparison.Ordinal);
        safe = safe.Trim('-');
        return (safe.Length > 150 ? safe[..150] : safe) + ".pdf";
    }
}
