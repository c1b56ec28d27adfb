using System.Net;
using Reach.Outreach;
using Reach.Tests.Infrastructure;
using Xunit;

namespace Reach.Tests.Security;

/// <summary>A server as shipped: mailbox settings may name only public mail servers on mail ports.</summary>
public sealed class ShippedMailRulesServer : SqliteServer
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["Reach:Mail:AllowInternalHosts"] = "false";
}

public sealed class MailHostsTests(ShippedMailRulesServer server) : IClassFixture<ShippedMailRulesServer>
{
    [Theory]
    [InlineData("127.0.0.1", 22, "port 22")]
    [InlineData("127.0.0.1", 5432, "port 5432")]
    [InlineData("127.0.0.1", 587, "internal address")]
    [InlineData("169.254.169.254", 587, "internal address")]
    [InlineData("10.1.2.3", 25, "internal address")]
    [InlineData("localhost", 465, "internal address")]
    public async Task ARepsMailboxTestCannotReachInternalServicesOrOtherPorts(string host, int port, string reason)
    {
        var (_, token) = await server.AddUserAsync(Reach.Data.UserRole.Rep, "Rita Mailbox");
        using var rep = server.NewClient(token);
        var saved = await rep.PutAsync("/api/v1/mail-account", Json.Body(new { fromName = "Rita", fromAddress = "rita@test.example", smtpHost = host, smtpPort = port, smtpSecurity = "none" }));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

        var test = await (await rep.PostAsync("/api/v1/mail-account/test", null)).ReadObjectAsync();

        Assert.False((bool)test["ok"]!);
        Assert.Contains(reason, (string)test["message"]!);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:192.168.1.1", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:4700::1111", false)]
    public void InternalAddressesAreKnown(string address, bool isInternal) =>
        Assert.Equal(isInternal, MailHosts.IsInternal(IPAddress.Parse(address)));
}
