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

    [Fact]
    public void ADealsContactsAndLineItemsReadAsWhatHappenedToTheDeal()
    {
        Guid ada = Guid.NewGuid(), seats = Guid.NewGuid();
        var text = new AuditText(new Dictionary<Guid, string> { [ada] = "Ada Lind", [seats] = "Seats" });
        static AuditEntry Part(string type, AuditAction action, string changes) =>
            new() { ActorName = "Tom", Action = action, EntityType = type, EntityId = Guid.NewGuid(), Changes = changes };

        Assert.Equal("Tom added Ada Lind to the deal as champion", text.Sentence(Part("dealContact", AuditAction.Create, $$$"""{"contactId":{"before":null,"after":"{{{ada}}}"},"role":{"before":null,"after":"champion"}}""")));
        Assert.Equal("Tom made Ada Lind the deal's economic buyer (was champion)", text.Sentence(Part("dealContact", AuditAction.Update, $$$"""{"role":{"before":"champion","after":"economic_buyer"},"contactId":{"before":"{{{ada}}}","after":"{{{ada}}}"}}""")));
        Assert.Equal("Tom removed Ada Lind from the deal", text.Sentence(Part("dealContact", AuditAction.Delete, $$$"""{"contactId":{"before":"{{{ada}}}","after":null},"role":{"before":"user","after":null}}""")));
        Assert.Equal("Tom added a line: 2 × Seats at 1,000, 10 % off", text.Sentence(Part("dealLineItem", AuditAction.Create, $$$"""{"productId":{"before":null,"after":"{{{seats}}}"},"quantity":{"before":null,"after":2},"unitPrice":{"before":null,"after":1000},"discount":{"before":null,"after":0.1}}""")));
        Assert.Equal("Tom changed the Seats line: changed the quantity from 2 to 3", text.Sentence(Part("dealLineItem", AuditAction.Update, $$$"""{"quantity":{"before":2,"after":3},"productId":{"before":"{{{seats}}}","after":"{{{seats}}}"}}""")));
        Assert.Equal("Tom removed the Seats line", text.Sentence(Part("dealLineItem", AuditAction.Delete, $$$"""{"productId":{"before":"{{{seats}}}","after":null}}""")));
    }
}
