using Reach.Audit;
using Reach.Web.Pages;
using Xunit;

namespace Reach.Tests.Audit;

/// <summary>How the record pages put an audit entry in words.</summary>
public sealed class AuditTextTests
{
    static readonly Guid Qualified = Guid.NewGuid(), Proposal = Guid.NewGuid(), Unknown = Guid.NewGuid();

    static AuditEntry Entry(AuditAction action, string changes) =>
        new() { ActorName = "Tom", Action = action, EntityType = "deal", EntityId = Guid.NewGuid(), Changes = changes };

    [Fact]
    public void IdsOfKnownStagesAndUsersReadAsTheirNamesAndOthersStayIds()
    {
        var text = new AuditText(new Dictionary<Guid, string> { [Qualified] = "Qualified", [Proposal] = "Proposal" });
        var entry = Entry(AuditAction.Update, $$$"""{"stageId":{"before":"{{{Qualified}}}","after":"{{{Proposal}}}"},"accountId":{"before":null,"after":"{{{Unknown}}}"}}""");

        Assert.Equal($"stageId: Qualified → Proposal; accountId: ∅ → {Unknown}", text.Describe(entry));
    }

    [Fact]
    public void LongValuesAreCutAndActionsReadAsVerbs()
    {
        var text = new AuditText(new Dictionary<Guid, string>());
        var entry = Entry(AuditAction.Share, $$$"""{"name":{"before":"{{{new string('a', 50)}}}","after":"b"}}""");

        Assert.Equal($"name: {new string('a', 40)}… → b", text.Describe(entry));
        Assert.Equal("shared", AuditText.Verb(entry));
        Assert.Equal("unshared", AuditText.Verb(Entry(AuditAction.Unshare, "{}")));
    }
}
