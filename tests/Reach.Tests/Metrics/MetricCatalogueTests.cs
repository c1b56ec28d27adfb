using Reach.Metrics;
using Reach.Tests.Planning;
using Xunit;

namespace Reach.Tests.Metrics;

public sealed class MetricCatalogueTests
{
    [Fact]
    public void MediansAndPercentilesAreExactForValuesTheirDoublesCannotTellApart()
    {
        // Neighbours a double rounds alike (28 significant digits), shuffled among ordinary amounts.
        var random = new Random(8);
        var values = Enumerable.Range(0, 2_001).Select(i => i % 3 == 0
            ? 1.000000000000000000000000001m * (i % 7) + 0.000000000000000000000000001m * i
            : Math.Round((decimal)random.NextDouble() * 100_000m, 2)).ToList();
        var exact = values.Order().ToList();
        Assert.Equal(exact[1_000], MetricCatalogue.Median(values));
        Assert.Equal(exact[(int)Math.Ceiling(0.8 * exact.Count) - 1], MetricCatalogue.Percentile(values, 0.8));
        var even = values.Take(2_000).ToList();
        var evenExact = even.Order().ToList();
        Assert.Equal((evenExact[999] + evenExact[1_000]) / 2, MetricCatalogue.Median(even));
        foreach (var k in new[] { 0.1, 0.33, 0.5, 0.9 })
            Assert.Equal(exact[(int)Math.Ceiling(k * exact.Count) - 1], MetricCatalogue.Percentile(values, k));
    }

    [Fact]
    public void DocsStateEveryMetricsFormulaAsTheCodeDoes()
    {
        var docs = File.ReadAllText(Path.Combine(Plans.RepositoryRoot(), "docs", "metrics.md"));

        Assert.Equal(MetricCatalogue.All.Count, MetricCatalogue.All.Select(m => m.Id).Distinct().Count());
        Assert.All(MetricCatalogue.All, m => Assert.Contains($"| `{m.Id}` | {m.Name} |", docs, StringComparison.Ordinal));
        Assert.All(MetricCatalogue.All, m => Assert.Contains(m.Formula, docs, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2027-Q1", "2027-01-01", "2027-04-01", "2026-Q4")]
    [InlineData("2027-03", "2027-03-01", "2027-04-01", "2027-02")]
    [InlineData("2027-W05", "2027-02-01", "2027-02-08", "2027-W04")]
    [InlineData("2027-W01", "2027-01-04", "2027-01-11", "2026-W53")]
    [InlineData("2027-01-10..2027-01-20", "2027-01-10", "2027-01-20", "2026-12-31..2027-01-10")]
    public void PeriodsParseAndStepBack(string label, string start, string end, string previous)
    {
        var period = Period.Parse(label)!;

        Assert.Equal((start, end), (period.Start.ToString("yyyy-MM-dd", null), period.End.ToString("yyyy-MM-dd", null)));
        Assert.Equal(label, period.Label);
        Assert.Equal(previous, period.Previous().Label);
    }

    [Theory]
    [InlineData("2027-Q5")]
    [InlineData("2027-13")]
    [InlineData("2027-W54")]
    [InlineData("2027-02-01..2027-01-01")]
    [InlineData("last month")]
    public void NonsensePeriodsAreRefused(string label) => Assert.Null(Period.Parse(label));

    [Fact]
    public void ConversionUsesTheRateValidOnTheDay()
    {
        var converter = new CurrencyConverter("EUR", [
            new ExchangeRate { Currency = "USD", Rate = 0.9m, ValidFrom = new DateOnly(2027, 1, 1) },
            new ExchangeRate { Currency = "USD", Rate = 0.8m, ValidFrom = new DateOnly(2027, 2, 15) }]);

        Assert.Null(converter.Convert(100, "USD", new DateTime(2026, 12, 31, 23, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(90m, converter.Convert(100, "USD", new DateTime(2027, 2, 14, 23, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(80m, converter.Convert(100, "USD", new DateTime(2027, 2, 15, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal(100m, converter.Convert(100, "EUR", new DateTime(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Null(converter.Convert(100, "GBP", new DateTime(2027, 3, 1, 0, 0, 0, DateTimeKind.Utc)));
    }

    // Facts are read for the periods a page or report needs; a figure over another period must fail, not come out zero.
    [Fact]
    public void AFigureOutsideThePeriodsTheFactsWereReadForThrows()
    {
        var march = Period.Parse("2027-03")!;
        var facts = new MetricFacts
        {
            Deals = [],
            Leads = [],
            Activities = [],
            Targets = [],
            Costs = [],
            Converter = new CurrencyConverter("EUR", []),
            From = march.Previous().StartsAt,
            To = march.EndsAt,
            TouchPeriods = new HashSet<Period> { march, march.Previous() },
        };
        var now = march.EndsAt;

        Assert.Equal(0, MetricService.Compute(facts, MetricCatalogue.Find("touches")!, new MetricQuery(march), now).Total.Value);
        Assert.Throws<InvalidOperationException>(() => MetricService.Compute(facts, MetricCatalogue.Find("bookings")!, new MetricQuery(Period.Parse("2027-04")!), now));
        // Touches and leads are read for whole periods: a week inside March was not counted.
        var week = Period.Parse("2027-W10")!;
        Assert.Equal(0, MetricService.Compute(facts, MetricCatalogue.Find("bookings")!, new MetricQuery(week), now).Total.Value);
        Assert.Throws<InvalidOperationException>(() => MetricService.Compute(facts, MetricCatalogue.Find("touches")!, new MetricQuery(week), now));
        Assert.Throws<InvalidOperationException>(() => MetricService.Compute(facts, MetricCatalogue.Find("new_leads")!, new MetricQuery(week), now));
        Assert.Throws<InvalidOperationException>(() => MetricService.Compute(facts, MetricCatalogue.Find("bookings")!, new MetricQuery(march) { ProductId = Guid.NewGuid() }, now));
    }
}
