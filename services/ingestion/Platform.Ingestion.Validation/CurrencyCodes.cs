namespace Platform.Ingestion.Validation;

/// <summary>
/// The active ISO 4217 alphabetic codes (list one), upper case only: the contract says "ISO 4217 code, upper case",
/// and ISO 4217 defines the codes in upper case, so "eur" is rejected rather than repaired.
/// </summary>
/// <remarks>
/// As of the list in force in November 2026. Withdrawn codes are left out: ANG (replaced by XCG, 2025),
/// BGN (Bulgaria adopted the euro, 2026), HRK (2023), CUC, SLL (replaced by SLE), ZWL (replaced by ZWG),
/// MRO, STD, VEF. XTS (reserved for testing) and XXX ("no currency") are left out too: an order line
/// cannot be priced in them. Lookup is one array index: the three letters give a number below 26^3, and the slot
/// holds the interned code string, so a valid currency costs no allocation.
/// </remarks>
internal static class CurrencyCodes
{
    internal static readonly string[] Active =
    [
        "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN",
        "BAM", "BBD", "BDT", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
        "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK",
        "DJF", "DKK", "DOP", "DZD",
        "EGP", "ERN", "ETB", "EUR",
        "FJD", "FKP",
        "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD",
        "HKD", "HNL", "HTG", "HUF",
        "IDR", "ILS", "INR", "IQD", "IRR", "ISK",
        "JMD", "JOD", "JPY",
        "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT",
        "LAK", "LBP", "LKR", "LRD", "LSL", "LYD",
        "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN",
        "NAD", "NGN", "NIO", "NOK", "NPR", "NZD",
        "OMR",
        "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG",
        "QAR",
        "RON", "RSD", "RUB", "RWF",
        "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
        "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS",
        "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS",
        "VED", "VES", "VND", "VUV",
        "WST",
        "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR", "XOF", "XPD", "XPF", "XPT", "XSU", "XUA",
        "YER",
        "ZAR", "ZMW", "ZWG",
    ];

    private static readonly string?[] s_bySlot = BuildSlots();

    /// <summary>The interned code when <paramref name="code"/> is an active code, else null.</summary>
    internal static string? Find(ReadOnlySpan<byte> code)
    {
        if (code.Length != 3)
        {
            return null;
        }

        uint a = (uint)(code[0] - 'A'), b = (uint)(code[1] - 'A'), c = (uint)(code[2] - 'A');
        return a < 26 && b < 26 && c < 26 ? s_bySlot[(a * 26 + b) * 26 + c] : null;
    }

    private static string?[] BuildSlots()
    {
        var slots = new string?[26 * 26 * 26];
        foreach (var code in Active)
        {
            slots[((code[0] - 'A') * 26 + (code[1] - 'A')) * 26 + (code[2] - 'A')] = code;
        }

        return slots;
    }
}
