using System.ComponentModel.DataAnnotations;

namespace Reach.Data;

/// <summary>An active ISO 4217 currency code (EUR, USD…); "ABC" has the right shape but is no currency.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CurrencyCodeAttribute : ValidationAttribute
{
    // ISO 4217 active codes (list one, 2025), without funds and precious-metal codes.
    static readonly HashSet<string> Codes = [.. """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD
        CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD
        GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
        LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR
        NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP
        STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG
        XOF XPF YER ZAR ZMW ZWG
        """.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)];

    public static bool IsKnown(string? code) => code is not null && Codes.Contains(code);

    public override bool IsValid(object? value) => value is null || IsKnown(value as string);

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || IsKnown(value as string)
            ? ValidationResult.Success
            : new ValidationResult($"'{value}' is not an ISO 4217 currency code; use one such as EUR, USD or GBP (upper case).", [validationContext.MemberName!]);
}
