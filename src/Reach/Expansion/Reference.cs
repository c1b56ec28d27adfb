using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Reach.Accounts;
using Reach.Activities;
using Reach.Data;

namespace Reach.Expansion;

/// <summary>What a reference customer agreed to be used for (seed 002: build reference customers, then move up).</summary>
public enum ReferenceKind { Call, Logo, CaseStudy }

/// <summary>
/// An account's consent to be a reference: who agreed, when, and for what (a call with a prospect, its logo, a case
/// study). One per account; withdrawn consent is kept (<see cref="WithdrawnAt"/>) so the trail says what was agreed.
/// How often it was used is read from its <see cref="ReferenceUse"/>s.
/// </summary>
public class Reference
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AccountId { get; set; }
    public Account? Account { get; set; }

    /// <summary>The person at the customer who agreed (a name, as they signed or said it).</summary>
    public required string AgreedBy { get; set; }
    public Guid? ContactId { get; set; }
    public DateOnly AgreedOn { get; set; }
    public bool ForCall { get; set; }
    public bool ForLogo { get; set; }
    public bool ForCaseStudy { get; set; }
    public string? Note { get; set; }
    public DateTime? WithdrawnAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool Allows(ReferenceKind kind) => WithdrawnAt is null && kind switch
    {
        ReferenceKind.Call => ForCall,
        ReferenceKind.Logo => ForLogo,
        _ => ForCaseStudy,
    };

    /// <summary>What was agreed, as a reader says it ("call, logo").</summary>
    public IReadOnlyList<ReferenceKind> Kinds =>
        [.. new[] { (ForCall, ReferenceKind.Call), (ForLogo, ReferenceKind.Logo), (ForCaseStudy, ReferenceKind.CaseStudy) }.Where(k => k.Item1).Select(k => k.Item2)];
}

/// <summary>One ask of a reference for a prospect: a task given to the reference account's owner, counted as a use.</summary>
public class ReferenceUse
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReferenceId { get; set; }
    public Guid ProspectAccountId { get; set; }
    public Guid? DealId { get; set; }
    public ReferenceKind Kind { get; set; }
    public Guid? AskedById { get; set; }
    public DateTime AskedAt { get; set; }

    /// <summary>The task the ask gave the reference's owner.</summary>
    public Guid? TaskId { get; set; }
}

sealed class ReferenceMapping : IEntityTypeConfiguration<Reference>
{
    public void Configure(EntityTypeBuilder<Reference> reference)
    {
        reference.Property(r => r.AgreedBy).HasMaxLength(200);
        reference.Property(r => r.Note).HasMaxLength(2000);
        reference.HasOne(r => r.Account).WithMany().HasForeignKey(r => r.AccountId).OnDelete(DeleteBehavior.Restrict);
        reference.HasOne<Reach.Contacts.Contact>().WithMany().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.SetNull);
        reference.HasIndex(r => r.AccountId).IsUnique();
    }
}

sealed class ReferenceUseMapping : IEntityTypeConfiguration<ReferenceUse>
{
    public void Configure(EntityTypeBuilder<ReferenceUse> use)
    {
        use.Property(u => u.Kind).HasConversion<string>().HasMaxLength(20);
        use.HasOne<Reference>().WithMany().HasForeignKey(u => u.ReferenceId).OnDelete(DeleteBehavior.Cascade);
        use.HasOne<Account>().WithMany().HasForeignKey(u => u.ProspectAccountId).OnDelete(DeleteBehavior.Restrict);
        use.HasOne<Reach.Deals.Deal>().WithMany().HasForeignKey(u => u.DealId).OnDelete(DeleteBehavior.SetNull);
        use.HasOne<Activity>().WithMany().HasForeignKey(u => u.TaskId).OnDelete(DeleteBehavior.SetNull);
        use.HasIndex(u => new { u.ReferenceId, u.AskedAt });
    }
}

/// <summary>
/// An account's consent to be a reference, as the API, the account page and the CLI take it: the one rule for all.
/// Giving consent makes the account's lifecycle <see cref="Lifecycle.Reference"/>; a change of consent is audited.
/// </summary>
public sealed record ReferenceInput
{
    [Required, StringLength(200, MinimumLength = 1)] public string? AgreedBy { get; init; }
    public Guid? ContactId { get; init; }

    /// <summary>The day they agreed; left out, today.</summary>
    public DateOnly? AgreedOn { get; init; }
    public bool Call { get; init; }
    public bool Logo { get; init; }
    public bool CaseStudy { get; init; }
    [StringLength(2000)] public string? Note { get; init; }

    public static ReferenceInput From(Reference r) => new()
    {
        AgreedBy = r.AgreedBy,
        ContactId = r.ContactId,
        AgreedOn = r.AgreedOn,
        Call = r.ForCall,
        Logo = r.ForLogo,
        CaseStudy = r.ForCaseStudy,
        Note = r.Note,
    };

    public async Task CheckAsync(ReachDb db, Guid accountId, CancellationToken cancellationToken)
    {
        InputRules.Validate(this);
        if (!Call && !Logo && !CaseStudy)
            throw new InputException("call", "Say what the customer agreed to: a call, their logo, a case study (one at least).");
        var today = DateOnly.FromDateTime(db.UtcNow);
        if (AgreedOn is { } on && (on > today || on.Year < 2000))
            throw new InputException("agreedOn", $"'{on:yyyy-MM-dd}' is not a day consent can have been given: from 2000-01-01 to today ({today:yyyy-MM-dd}).");
        if (ContactId is { } contactId && !await db.Contacts.IgnoreQueryFilters([ReachDb.AccessFilter]).AnyAsync(c => c.Id == contactId && c.AccountId == accountId, cancellationToken))
            throw new InputException("contactId", $"'{contactId}' is not a contact of this account.");
    }

    /// <summary>Records (or changes) the account's consent and saves; 404s are the caller's (an account it may not read).</summary>
    public async Task<Reference> ApplyAsync(ReachDb db, Account account, CancellationToken cancellationToken)
    {
        await CheckAsync(db, account.Id, cancellationToken);
        var now = db.UtcNow;
        var reference = await db.References.FirstOrDefaultAsync(r => r.AccountId == account.Id, cancellationToken);
        if (reference is null)
        {
            reference = new Reference { AccountId = account.Id, AgreedBy = "", CreatedAt = now };
            db.References.Add(reference);
        }
        reference.AgreedBy = AgreedBy!.Trim();
        reference.ContactId = ContactId;
        reference.AgreedOn = AgreedOn ?? DateOnly.FromDateTime(now);
        (reference.ForCall, reference.ForLogo, reference.ForCaseStudy) = (Call, Logo, CaseStudy);
        reference.Note = string.IsNullOrWhiteSpace(Note) ? null : Note.Trim();
        reference.WithdrawnAt = null;
        reference.UpdatedAt = now;
        var tracked = db.Accounts.Local.FirstOrDefault(a => a.Id == account.Id) ?? account;
        if (db.Entry(tracked).State == EntityState.Detached)
            db.Attach(tracked);
        tracked.Lifecycle = Lifecycle.Reference;
        await db.SaveChangesAsync(cancellationToken);
        return reference;
    }

    /// <summary>Withdraws the account's consent (kept, marked withdrawn): it leaves the pool; the account is a customer again.</summary>
    public static async Task<bool> WithdrawAsync(ReachDb db, Account account, CancellationToken cancellationToken)
    {
        var reference = await db.References.FirstOrDefaultAsync(r => r.AccountId == account.Id && r.WithdrawnAt == null, cancellationToken);
        if (reference is null)
            return false;
        reference.WithdrawnAt = db.UtcNow;
        reference.UpdatedAt = db.UtcNow;
        var tracked = db.Accounts.Local.FirstOrDefault(a => a.Id == account.Id) ?? account;
        if (db.Entry(tracked).State == EntityState.Detached)
            db.Attach(tracked);
        if (tracked.Lifecycle == Lifecycle.Reference)
            tracked.Lifecycle = Lifecycle.Customer;
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
