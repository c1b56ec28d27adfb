using Microsoft.AspNetCore.Identity;

namespace Reach.Access;

/// <summary>
/// Length over composition (OWASP ASVS 2.1, NIST 800-63B): at least <see cref="MinimumLength"/>
/// characters, no rules about digits or symbols, and refused when it is a well-known password, a
/// keyboard or digit run, one character repeated, or the user's own name or e-mail.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<User>
{
    public const int MinimumLength = 12;

    static readonly string[] Words =
    [
        "password", "passw0rd", "p@ssword", "p@ssw0rd", "qwerty", "qwertz", "azerty", "letmein", "welcome", "iloveyou", "admin",
        "administrator", "monkey", "dragon", "football", "baseball", "soccer", "hockey", "sunshine", "princess", "trustno1",
        "master", "shadow", "superman", "batman", "michael", "jennifer", "jordan", "hunter", "ranger", "buster", "charlie",
        "summer", "winter", "spring", "autumn", "secret", "freedom", "whatever", "starwars", "pokemon", "computer", "internet",
        "changeme", "default", "login", "access", "hello", "abc", "abcd", "test", "guest", "root", "user", "temp", "company",
        "reach", "crm", "sales", "welcome1", "love", "lovely", "flower", "cookie", "cheese", "banana", "orange", "chocolate",
        "liverpool", "chelsea", "arsenal", "barcelona", "juventus", "berlin", "london", "paris", "newyork", "america", "germany",
    ];

    static readonly string[] Suffixes = ["", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "!", "1!", "123!", "01", "69", "007",
        "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027", "@123", "#1", "!!", "?"];

    static readonly string[] Runs =
    [
        "1234567890", "0987654321", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "1q2w3e4r5t6y7u8i", "zaq12wsxcde3",
        "q1w2e3r4t5y6", "abcdefghijklmnopqrstuvwxyz", "qazwsxedcrfv", "poiuytrewq", "0123456789",
    ];

    static readonly HashSet<string> Common = BuildCommon();

    static HashSet<string> BuildCommon()
    {
        var common = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var word in Words)
        {
            foreach (var suffix in Suffixes)
                common.Add(word + suffix);
            common.Add(word + word);
            common.Add(word + word + "1");
        }
        foreach (var word in Words)
            foreach (var other in Words)
                common.Add(word + other);
        return common;
    }

    public Task<IdentityResult> ValidateAsync(UserManager<User> manager, User user, string? password) =>
        Task.FromResult(Check(password ?? "", user) is { } reason
            ? IdentityResult.Failed(new IdentityError { Code = "PasswordRules", Description = reason })
            : IdentityResult.Success);

    /// <summary>Why the password is refused, or null when it is acceptable.</summary>
    public static string? Check(string password, User? user = null)
    {
        if (password.Length < MinimumLength)
            return $"Use at least {MinimumLength} characters; a few unrelated words make a long password easy to remember.";
        if (password.Length > 256)
            return "Use at most 256 characters.";
        var lower = password.ToLowerInvariant();
        if (Common.Contains(lower) || password.Distinct().Count() <= 2 || Runs.Any(run => (run + run).Contains(lower, StringComparison.Ordinal) || IsRepeatOf(lower, run)))
            return "This password is among the most common ones that attackers try first; choose another.";
        if (user is not null && Personal(user).Any(part => part.Length >= 4 && lower.Contains(part, StringComparison.Ordinal)))
            return "Don't use your name or e-mail in your password.";
        return null;
    }

    // "12341234123412", "abcabcabcabc": a short run repeated.
    static bool IsRepeatOf(string password, string run)
    {
        for (var length = 3; length <= 6; length++)
            for (var start = 0; start + length <= run.Length; start++)
            {
                var piece = run.Substring(start, length);
                if (password.Replace(piece, "", StringComparison.Ordinal).Length == 0)
                    return true;
            }
        return false;
    }

    static IEnumerable<string> Personal(User user)
    {
        var email = (user.Email ?? "").ToLowerInvariant();
        var local = email.Split('@')[0];
        return [local, .. user.Name.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
