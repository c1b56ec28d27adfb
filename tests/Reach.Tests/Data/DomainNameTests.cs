using Reach.Accounts;
using Xunit;

namespace Reach.Tests.Data;

/// <summary>What an account's or a lead's domain may be: a domain or a website's address, never words.</summary>
public sealed class DomainNameTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("acme.com")]
    [InlineData("https://www.Acme.co.uk/about")]
    [InlineData("get-acme.io")]
    [InlineData("münchen.de")]
    public void ADomainOrAWebsiteIsAccepted(string? value) => Assert.True(DomainNameAttribute.IsValidDomain(value));

    [Theory]
    [InlineData("not a domain!!")]
    [InlineData("localhost")]
    [InlineData("-acme.com")]
    [InlineData("acme.c")]
    [InlineData("acme..com")]
    public void WordsAreRefused(string value) => Assert.False(DomainNameAttribute.IsValidDomain(value));
}
