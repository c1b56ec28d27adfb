using Reach.Access;
using Reach.Tests.Infrastructure;
using Reach.Web.Access;
using Xunit;

namespace Reach.Tests.Security;

public sealed class PasswordRulesTests
{
    static readonly User Tom = new() { Name = "Tom Becker", Email = "tom@acme.example" };

    [Theory]
    [InlineData("qwertyuiopas")]
    [InlineData("asdfghjklzxcvb")]
    [InlineData("Welcome2026!")]
    [InlineData("Summer2026!!")]
    [InlineData("Passw0rd!234")]
    [InlineData("P@ssw0rd2026")]
    [InlineData("2026Autumn!!")]
    [InlineData("letmeinletmein")]
    [InlineData("Dragon123456")]
    [InlineData("tom@acme.example")]
    [InlineData("TomBecker2026")]
    [InlineData("Tom2026!!!!!")]
    [InlineData("acme.example!")]
    public void WeakPasswordsAreRefused(string password) => Assert.NotNull(PasswordRules.Check(password, Tom));

    [Theory]
    [InlineData("violet tractor under the lamp")]
    [InlineData("correct horse battery staple")]
    [InlineData("Mq7#vT2!pLx9")]
    [InlineData("Kaffeetasse im Regen 8")]
    public void LongUnusualPasswordsPass(string password) => Assert.Null(PasswordRules.Check(password, Tom));
}

public sealed class SignInFailuresTests
{
    [Fact]
    public void FailuresRefuseOnlyTheirAddressAndOnlyForFifteenMinutes()
    {
        var clock = new ManualClock(new DateTimeOffset(2027, 1, 31, 9, 0, 0, TimeSpan.Zero));
        var failures = new SignInFailures(clock);
        var attacker = SignInFailures.KeyOf("tom@acme.example", System.Net.IPAddress.Parse("203.0.113.9"));
        var office = SignInFailures.KeyOf("Tom@Acme.example", System.Net.IPAddress.Parse("198.51.100.7"));

        for (var i = 0; i < SignInFailures.Limit - 1; i++)
            failures.Fail(attacker);
        Assert.False(failures.IsRefused(attacker));
        failures.Fail(attacker);

        Assert.True(failures.IsRefused(attacker));
        Assert.False(failures.IsRefused(office));
        clock.Now += SignInFailures.Window;
        Assert.False(failures.IsRefused(attacker));
    }
}
