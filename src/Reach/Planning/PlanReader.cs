using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reach.Planning;

/// <summary>
/// Reads a plan file — YAML, or JSON of the same shape (JSON is YAML's flow style, so one parser serves both and
/// both get line numbers) — and validates every field, collecting all errors before failing.
/// </summary>
public static class PlanReader
{
    private static readonly string[] SelfServiceFields = ["acquisition_cost"];

    private static readonly string[] SalesLedFields =
        [
            "rep_cost_per_year", "deals_per_rep_per_year", "ramp_months", "win_rate", "lead_to_opportunity", "cost_per_lead",
            "start_reps", "max_hires_per_month", "annual_attrition", "reference_acv", "effort_exponent",
        ];

    private static readonly string[] PartnerFields = ["commission", "commission_years", "cost_per_deal", "partners", "deals_per_partner_per_year"];

    private static readonly Rule Positive = new(v => v > 0, "must be greater than 0");
    private static readonly Rule NotNegative = new(v => v >= 0, "must not be negative");
    private static readonly Rule Rate = new(v => v is > 0 and <= 1, "must be in (0, 1]");
    private static readonly Rule Fraction = new(v => v is >= 0 and <= 1, "must be in [0, 1]");

    /// <exception cref="PlanValidationException">The file is not a valid plan; every error is listed.</exception>
    public static PlanFile ReadFile(string path) => Read(File.ReadAllText(path));

    /// <exception cref="PlanValidationException">The text is not a valid plan; every error is listed.</exception>
    public static PlanFile Read(string text)
    {
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            throw new PlanValidationException([new PlanError("", LineOf(e.Start), "not valid YAML or JSON: " + e.Message)]);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet fails this way (without a position) on some unclosed [ or {; point at the last line it read.
            throw new PlanValidationException(
                [new PlanError("", LastParsedLine(text), "not valid YAML or JSON: an unclosed [ or {")]);
        }

        var errors = new List<PlanError>();
        if (root is not YamlMappingNode map)
        {
            errors.Add(new PlanError("", root is null ? 1 : LineOf(root.Start), "expected a mapping of plan fields"));
            throw new PlanValidationException(errors);
        }

        var plan = ReadPlan(new Fields(map, "", errors));
        if (errors.Count > 0)
        {
            throw new PlanValidationException(errors);
        }

        return plan;
    }

    // Each reader records its errors and returns a placeholder, so one pass finds every problem; the placeholder
    // plan is never returned because any error throws.
    private static PlanFile ReadPlan(Fields f)
    {
        var currency = f.Text("currency");
        var start = f.Date("start");
        var horizon = (int)f.Whole("horizon_months", Positive, int.MaxValue);

        var target = f.Mapping("target");
        var newArr = target?.Number("new_arr", Positive) ?? 0;
        target?.RejectUnknown(_ => "unknown key");

        var economics = f.Mapping("economics");
        var planEconomics = new PlanEconomics
        {
            GrossMargin = economics?.Number("gross_margin", Rate) ?? 0,
            AnnualChurn = economics?.Number("annual_churn", Fraction) ?? 0,
            MaxLifetimeYears = economics?.Number("max_lifetime_years", Positive) ?? 0,
            MinLtvToCac = economics?.Number("min_ltv_to_cac", NotNegative) ?? 0,
        };
        economics?.RejectUnknown(_ => "unknown key");

        var channels = f.List("channels", "channel").Select(ReadChannel).ToList();
        RejectDuplicateNames(f, "channels", channels.Select(c => c.Name).ToList());

        var segments = f.List("segments", "segment").Select(ReadSegment).ToList();
        RejectDuplicateNames(f, "segments", segments.Select(s => s.Name).ToList());
        var shares = segments.Sum(s => s.ShareOfTarget);
        if (shares > 1)
        {
            f.Error("segments", f.KeyLine("segments"), $"share_of_target values add up to {shares}, above 1");
        }

        var scenario = f.TextList("scenario");
        for (var i = 0; i < scenario.Count; i++)
        {
            if (Scenarios.Problem(scenario[i], segments, channels) is { } problem)
            {
                f.Error($"scenario[{i}]", f.KeyLine("scenario"), problem);
            }
        }

        var sensitivity = f.Number("sensitivity", new Rule(v => v is > 0 and < 1, "must be in (0, 1)"), required: false)
            ?? Sensitivity.DefaultChange;

        var tiers = f.Mapping("tiers", required: false);
        PlanTiers? planTiers = null;
        if (tiers is not null)
        {
            var a = tiers.Number("a_min_acv", NotNegative) ?? 0;
            var b = tiers.Number("b_min_acv", NotNegative, required: false) ?? 0;
            if (b > a)
            {
                tiers.Error("tiers.b_min_acv", f.KeyLine("tiers"), $"b_min_acv ({b}) must not exceed a_min_acv ({a})");
            }

            tiers.RejectUnknown(_ => "unknown key");
            planTiers = new PlanTiers(a, b);
        }

        f.RejectUnknown(_ => "unknown key");
        return new PlanFile
        {
            Tiers = planTiers,
            Scenario = scenario,
            Sensitivity = sensitivity,
            Currency = currency,
            Start = start,
            HorizonMonths = horizon,
            Target = new PlanTarget { NewArr = newArr },
            Economics = planEconomics,
            Channels = channels,
            Segments = segments,
        };
    }

    private static PlanChannel ReadChannel(Fields f)
    {
        var name = f.Text("name");
        var kind = f.Kind("kind");
        var selfService = kind is null or ChannelKind.SelfService;
        var salesLed = kind is null or ChannelKind.Inside or ChannelKind.Field;
        var partner = kind is null or ChannelKind.Partner;

        // With an unknown kind every kind's fields are optional, so they are still type-checked but not demanded.
        var known = kind is not null;
        var channel = new PlanChannel
        {
            Name = name,
            Kind = kind ?? ChannelKind.SelfService,
            MinAcv = f.Number("min_acv", NotNegative, required: false),
            MaxAcv = f.Number("max_acv", NotNegative, required: false),
            CycleDays = f.Number("cycle_days", NotNegative, required: known && (salesLed || partner)) ?? 0,
            AcquisitionCost = selfService ? f.Number("acquisition_cost", NotNegative, known) ?? 0 : 0,
            RepCostPerYear = salesLed ? f.Number("rep_cost_per_year", NotNegative, known) ?? 0 : 0,
            DealsPerRepPerYear = salesLed ? f.Number("deals_per_rep_per_year", Positive, known) ?? 0 : 0,
            // A partner's ramp (recruiting and enabling the partners before they bring deals) is optional, default 0.
            RampMonths = salesLed || partner ? f.Number("ramp_months", NotNegative, known && kind != ChannelKind.Partner) ?? 0 : 0,
            WinRate = salesLed || partner ? f.Number("win_rate", Rate, known) ?? 0 : 0,
            LeadToOpportunity = salesLed ? f.Number("lead_to_opportunity", Rate, known) ?? 0 : 0,
            CostPerLead = salesLed ? f.Number("cost_per_lead", NotNegative, known) ?? 0 : 0,
            StartReps = salesLed ? f.WholeOrNull("start_reps", NotNegative) ?? 0 : 0,
            MaxHiresPerMonth = salesLed ? f.WholeOrNull("max_hires_per_month", NotNegative) : null,
            AnnualAttrition = salesLed ? f.Number("annual_attrition", Fraction, required: false) ?? 0 : 0,
            ReferenceAcv = salesLed ? f.Number("reference_acv", Positive, required: false) : null,
            EffortExponent = salesLed ? f.Number("effort_exponent", Fraction, required: false) ?? 0 : 0,
            Commission = partner ? f.Number("commission", Fraction, known) ?? 0 : 0,
            CommissionYears = partner ? f.Number("commission_years", Positive, required: false) ?? 1 : 1,
            CostPerDeal = partner ? f.Number("cost_per_deal", NotNegative, required: false) ?? 0 : 0,
            Partners = partner ? f.WholeOrNull("partners", Positive) : null,
            DealsPerPartnerPerYear = partner ? f.Number("deals_per_partner_per_year", Positive, required: false) ?? 0 : 0,
        };
        if (channel.MinAcv > channel.MaxAcv)
        {
            f.Error(f.PathOf("max_acv"), f.KeyLine("max_acv"), $"must not be below min_acv ({channel.MinAcv})");
        }

        // Effort growing with ACV takes both figures: one alone would be silently ignored.
        if (!salesLed)
        {
            // The other kinds reject both keys as unknown below.
        }
        else if (f.Has("effort_exponent") && !f.Has("reference_acv"))
        {
            f.Error(f.PathOf("reference_acv"), f.KeyLine("effort_exponent"), "is required with effort_exponent (the ACV at which deals_per_rep_per_year and cycle_days hold)");
        }
        else if (f.Has("reference_acv") && !f.Has("effort_exponent"))
        {
            f.Error(f.PathOf("effort_exponent"), f.KeyLine("reference_acv"), "is required with reference_acv (0 to 1: how fast effort and cycle grow with ACV)");
        }

        // Partner capacity takes both figures, like effort growing with ACV.
        if (partner && f.Has("partners") != f.Has("deals_per_partner_per_year"))
        {
            var (missing, given) = f.Has("partners") ? ("deals_per_partner_per_year", "partners") : ("partners", "deals_per_partner_per_year");
            f.Error(f.PathOf(missing), f.KeyLine(given), $"is required with {given} (the channel's capacity is partners × deals_per_partner_per_year)");
        }

        f.RejectUnknown(key =>
            key is "win_rate" or "ramp_months" ? "applies only to inside, field and partner channels"
            : SelfServiceFields.Contains(key) ? "applies only to self_service channels"
            : SalesLedFields.Contains(key) ? "applies only to inside and field channels"
            : PartnerFields.Contains(key) ? "applies only to partner channels"
            : "unknown key");
        return channel;
    }

    private static PlanSegment ReadSegment(Fields f)
    {
        var segment = new PlanSegment
        {
            Name = f.Text("name"),
            Employees = f.Employees("employees"),
            Acv = f.Number("acv", Positive) ?? 0,
            Accounts = f.Whole("accounts", NotNegative, long.MaxValue),
            ShareOfTarget = f.Number("share_of_target", Fraction) ?? 0,
            ServiceCharge = f.Number("service_charge", NotNegative, required: false) ?? 0,
        };
        f.RejectUnknown(_ => "unknown key");
        return segment;
    }

    private static void RejectDuplicateNames(Fields f, string list, List<string> names)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length > 0 && names.IndexOf(names[i]) < i)
            {
                var path = $"{list}[{i}].name";
                f.Error(path, f.ItemNameLine(list, i), $"duplicate name '{names[i]}'");
            }
        }
    }

    private static int LastParsedLine(string text)
    {
        var parser = new Parser(new StringReader(text));
        var line = 1;
        try
        {
            while (parser.MoveNext())
            {
                line = LineOf(parser.Current!.End);
            }
        }
        catch (InvalidOperationException)
        {
            // Parsing stopped here: the line read last is the answer.
        }

        return line;
    }

    private static int LineOf(Mark mark) => (int)Math.Max(1, mark.Line);

    private static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    private sealed record Rule(Func<decimal, bool> Accepts, string Requirement);

    /// <summary>The keys of one mapping in the file: typed getters that report errors, and a check for unknown keys.</summary>
    private sealed class Fields(YamlMappingNode node, string path, List<PlanError> errors)
    {
        private readonly HashSet<string> read = [];

        public string PathOf(string key) => path.Length == 0 ? key : $"{path}.{key}";

        public void Error(string field, int line, string message) => errors.Add(new PlanError(field, line, message));

        public int KeyLine(string key) =>
            node.Children.Keys.FirstOrDefault(k => k is YamlScalarNode { Value: var v } && v == key) is { } k
                ? LineOf(k.Start)
                : LineOf(node.Start);

        public int ItemNameLine(string list, int index) =>
            Value(list) is YamlSequenceNode seq && seq.Children[index] is YamlMappingNode item
                ? new Fields(item, "", errors).KeyLine("name")
                : KeyLine(list);

        public string Text(string key)
        {
            if (Find(key, required: true) is not { } value)
            {
                return "";
            }

            if (value is not YamlScalarNode { Value: { Length: > 0 } text })
            {
                return Fail(key, value, value is YamlScalarNode ? "must not be empty" : "expected text", "");
            }

            return text;
        }

        public DateOnly Date(string key)
        {
            if (Find(key, required: true) is not { } value)
            {
                return default;
            }

            string[] formats = ["yyyy-MM-dd", "yyyy-MM"];
            return value is YamlScalarNode { Value: { } text }
                && DateOnly.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : Fail(key, value, "expected a date (YYYY-MM-DD)", default(DateOnly));
        }

        public ChannelKind? Kind(string key)
        {
            if (Find(key, required: true) is not { } value)
            {
                return null;
            }

            return (value as YamlScalarNode)?.Value switch
            {
                "self_service" => ChannelKind.SelfService,
                "inside" => ChannelKind.Inside,
                "field" => ChannelKind.Field,
                "partner" => ChannelKind.Partner,
                _ => Fail(key, value, "must be one of self_service, inside, field, partner", (ChannelKind?)null),
            };
        }

        public decimal? Number(string key, Rule rule, bool required = true) =>
            Find(key, required) is { } value ? Number(PathOf(key), value, rule) : null;

        public long Whole(string key, Rule rule, long max) =>
            Find(key, required: true) is { } value ? Whole(PathOf(key), value, rule, max) ?? 0 : 0;

        /// <summary>An optional list of texts, empty when absent.</summary>
        public List<string> TextList(string key)
        {
            if (Find(key, required: false) is not { } value)
            {
                return [];
            }

            if (value is not YamlSequenceNode seq)
            {
                return Fail(key, value, "expected a list", new List<string>());
            }

            var texts = new List<string>();
            for (var i = 0; i < seq.Children.Count; i++)
            {
                if (seq[i] is YamlScalarNode { Value: { Length: > 0 } text })
                {
                    texts.Add(text);
                }
                else
                {
                    Error($"{PathOf(key)}[{i}]", LineOf(seq[i].Start), $"expected text, got {Describe(seq[i])}");
                }
            }

            return texts;
        }

        /// <summary>An optional whole number (people), absent as null.</summary>
        public decimal? WholeOrNull(string key, Rule rule) =>
            Find(key, required: false) is { } value ? Whole(PathOf(key), value, rule, int.MaxValue) : null;

        public EmployeeRange? Employees(string key)
        {
            if (Find(key, required: false) is not { } value)
            {
                return null;
            }

            if (value is not YamlSequenceNode { Children.Count: 2 } pair)
            {
                return Fail(key, value, "expected [min, max]", (EmployeeRange?)null);
            }

            var min = Whole($"{PathOf(key)}[0]", pair[0], NotNegative, int.MaxValue);
            var max = IsNull(pair[1]) ? null : Whole($"{PathOf(key)}[1]", pair[1], NotNegative, int.MaxValue);
            if (min > max)
            {
                Error($"{PathOf(key)}[1]", LineOf(pair[1].Start), $"must not be below the minimum ({min})");
            }

            return new EmployeeRange((int)(min ?? 0), (int?)max);
        }

        public Fields? Mapping(string key, bool required = true)
        {
            if (Find(key, required) is not { } value)
            {
                return null;
            }

            return value is YamlMappingNode map
                ? new Fields(map, PathOf(key), errors)
                : Fail(key, value, "expected a mapping", (Fields?)null);
        }

        public IEnumerable<Fields> List(string key, string itemName)
        {
            if (Find(key, required: true) is not { } value)
            {
                return [];
            }

            if (value is not YamlSequenceNode { Children.Count: > 0 } seq)
            {
                return Fail(key, value, $"expected a list of at least one {itemName}", Array.Empty<Fields>());
            }

            var items = new List<Fields>();
            for (var i = 0; i < seq.Children.Count; i++)
            {
                if (seq[i] is YamlMappingNode item)
                {
                    items.Add(new Fields(item, $"{PathOf(key)}[{i}]", errors));
                }
                else
                {
                    Error($"{PathOf(key)}[{i}]", LineOf(seq[i].Start), $"expected a {itemName} (a mapping)");
                }
            }

            return items;
        }

        public void RejectUnknown(Func<string, string> why)
        {
            foreach (var key in node.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value ?? key.ToString();
                if (!read.Contains(name))
                {
                    Error(PathOf(name), LineOf(key.Start), why(name));
                }
            }
        }

        /// <summary>Whether the key is present with a value (not null).</summary>
        public bool Has(string key) => Value(key) is { } value && !IsNull(value);

        private YamlNode? Value(string key) =>
            node.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var v } && v == key).Value;

        // The value of a key, or null when it is absent or null; a missing required key is an error on the line of
        // the mapping that should hold it.
        private YamlNode? Find(string key, bool required)
        {
            read.Add(key);
            var value = Value(key);
            if (value is null || IsNull(value))
            {
                if (required)
                {
                    Error(PathOf(key), value is null ? LineOf(node.Start) : LineOf(value.Start), "is required");
                }

                return null;
            }

            return value;
        }

        private decimal? Number(string field, YamlNode value, Rule rule)
        {
            // A quoted "3000" is text in both YAML and JSON, so it is a wrong type rather than a number.
            if (value is not YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: { } text }
                || !decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                Error(field, LineOf(value.Start), $"expected a number, got {Describe(value)}");
                return null;
            }

            if (!rule.Accepts(number))
            {
                Error(field, LineOf(value.Start), $"{rule.Requirement}, got {text}");
                return null;
            }

            return number;
        }

        private long? Whole(string field, YamlNode value, Rule rule, long max)
        {
            var number = Number(field, value, rule);
            if (number is { } n && (decimal.Truncate(n) != n || n > max))
            {
                Error(field, LineOf(value.Start), $"expected a whole number up to {max}, got {n}");
                return null;
            }

            return (long?)number;
        }

        private T Fail<T>(string key, YamlNode value, string message, T placeholder)
        {
            Error(PathOf(key), LineOf(value.Start), $"{message}, got {Describe(value)}");
            return placeholder;
        }

        private static string Describe(YamlNode value) => value switch
        {
            YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: var v } => v ?? "null",
            YamlScalarNode { Value: var v } => $"the text \"{v}\"",
            YamlSequenceNode => "a list",
            _ => "a mapping",
        };
    }
}
