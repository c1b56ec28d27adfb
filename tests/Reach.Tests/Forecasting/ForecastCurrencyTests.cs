using Reach.Forecasting;
using Reach.Metrics;
using Xunit;

namespace Reach.Tests.Forecasting;

/// <summary>Deals in another currency than the forecast's are converted with the stored rates, or left out with a note.</summary>
public sealed class ForecastCurrencyTests
{
    static readonly DateTime AsOf = new(2027, 1, 10, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Closed history, then two open deals in B: 1,000 EUR and 1,000 USD, expected in the current month.</summary>
    static ForecastHistory History()
    {
        var histories = new Histories();
        for (var i = 0; i < 20; i++)
            histories.Add(AsOf.AddDays(-200 + i), 100, (Histories.B, 5), (Histories.Won, 10));
        histories.Add(AsOf.AddDays(-3), 1000, (Histories.B, 1));
        var usd = histories.Add(AsOf.AddDays(-3), 1000, (Histories.B, 1));
        var history = histories.Build();
        return history.WithDeals(history.Deals.Select(d => d.Id == usd.Id ? d with { Currency = "USD" } : d));
    }

    static readonly ForecastOptions Options = new() { Currency = "EUR", Trials = 2_000, ModelDraws = 0, Correlation = 0 };

    [Fact]
    public void WithoutARateTheOtherCurrencysDealIsLeftOutAndSaysSo()
    {
        var report = Forecaster.Forecast(History(), AsOf, Options, new CurrencyConverter("EUR", []));

        Assert.Equal(1, report.OpenDeals);
        Assert.Contains(report.Notes, n => n.StartsWith("1 open deal in other currencies than EUR left out", StringComparison.Ordinal));
    }

    [Fact]
    public void WithARateTheOtherCurrencysDealIsForecastAtItsConvertedAmount()
    {
        var rates = new CurrencyConverter("EUR", [new ExchangeRate { Currency = "USD", Rate = 0.5m, ValidFrom = new DateOnly(2026, 1, 1) }]);

        var withRate = Forecaster.Forecast(History(), AsOf, Options, rates);
        var eurOnly = Forecaster.Forecast(History(), AsOf, Options, new CurrencyConverter("EUR", []));

        Assert.Equal(2, withRate.OpenDeals);
        Assert.DoesNotContain(withRate.Notes, n => n.Contains("left out", StringComparison.Ordinal) && n.Contains("currencies", StringComparison.Ordinal));
        // Both deals sit in the same stage with the same odds, so the USD deal adds half of the EUR deal's expectation.
        var eurPipeline = eurOnly.Periods[0].Total.ExpectedFromPipeline;
        Assert.True(eurPipeline > 0);
        Assert.Equal(eurPipeline * 1.5m, withRate.Periods[0].Total.ExpectedFromPipeline, 2);
    }
}
