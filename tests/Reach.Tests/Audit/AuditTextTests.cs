using Reach.Audit;
using Reach.Web.Pages;
using Xunit;

namespace Reach.Tests.Audit;

/// <summary>How the record pages put an audit entry in words.</summary>
public sealed class AuditTextTests
{
    static readonly Guid Qualified = Guid.NewGuid(), Proposal = Guid.NewGuid(), Unknown = Guid.NewGuid(), Sofia = Guid.NewGuid();

    static AuditEntry Entry(AuditAction action, string changes) =>
        new() { ActorName = "Tom", Action = action, EntityType = "deal", EntityId = Guid.NewGuid(), Changes = changes };

    [Fact]
    public void AStageMoveReadsAsASentenceWithNamesNotIds()
    {
        var text = new AuditText(new Dictionary<Guid, string> { [Qualified] = "Qualified", [Proposal] = "Proposal", [Sofia] = "Sofia" });
        var entry = Entry(AuditAction.Update, $$$"""{"stageId":{"before":"{{{Qualified}}}","after":"{{{Proposal}}}"},"ownerId":{"before":"{{{Sofia}}}","after":"{{{Unknown}}}"},"version":{"before":1,"after":2}}""");

        Assert.Equal("Tom moved it from Qualified to Proposal; handed it from Sofia to a record you cannot see", text.Sentence(entry));
    }

    [Fact]
    public void InstantsDatesEmptiesAndFlagsReadAsPeopleWriteThem()
    {
        var text = new AuditText(new Dictionary<Guid, string>());
        var entry = Entry(AuditAction.Update, """{"closedAt":{"before":null,"after":"2026-12-06T14:05:00Z"},"expectedClose":{"before":"2026-12-31","after":null},"deadZone":{"before":null,"after":false},"amount":{"before":10000,"after":12500.5},"forecastCategory":{"before":"best_case","after":"commit"}}""");

        Assert.Equal("Tom closed it on 6 Dec 2026, 14:05; cleared the expected close (was 31 Dec 2026); set the dead zone to no; "
            + "changed the amount from 10,000 to 12,500.5; changed the forecast category from best case to commit", text.Sentence(entry));
        Assert.DoesNotContain("∅", text.Describe(entry), StringComparison.Ordinal);
    }

    [Fact]
    public void LongValuesAreCutAndActionsReadAsVerbs()
    {
        var text = new AuditText(new Dictionary<Guid, string>());
        var entry = Entry(AuditAction.Update, $$$"""{"name":{"before":"{{{new string('a', 70)}}}","after":"b"}}""");

        Assert.Equal($"changed the name from “{new string('a', 60)}…” to “b”", text.Describe(entry));
        Assert.Equal("Tom created it", text.Sentence(Entry(AuditAction.Create, """{"name":{"before":null,"after":"b"}}""")));
        Assert.Equal("shared", AuditText.Verb(Entry(AuditAction.Share, "{}")));
        Assert.Equal("unshared", AuditText.Verb(Entry(AuditAction.Unshare, "{}")));
    }
}
