using Microsoft.AspNetCore.Identity;

namespace Reach.Access;

/// <summary>
/// Length over composition (OWASP ASVS 2.1, NIST 800-63B): at least <see cref="MinimumLength"/>
/// characters, no rules about digits or symbols, and refused when it is a well-known password, a
/// common word dressed up with digits, a year or symbols, a keyboard or digit run, one character repeated, or the
/// user's own name or e-mail. The list of common words is data: Access/common-passwords.txt.
/// </summary>
public sealed class PasswordRules : IPasswordValidator<User>
{
    public const int MinimumLength = 12;

    // Keyboard rows (and their run across rows: "qwertyuiopas"), digits, the alphabet; forwards and backwards.
    static readonly string[] Runs =
    [
        "1234567890", "0987654321", "0123456789", "qwertyuiopasdfghjklzxcvbnm", "qwertzuiopasdfghjklyxcvbnm", "azertyuiopqsdfghjklmwxcvbn",
        "mnbvcxzlkjhgfdsapoiuytrewq", "1qaz2wsx3edc4rfv5tgb6yhn7ujm", "1q2w3e4r5t6y7u8i9o0p", "zaq12wsxcde34rfv", "q1w2e3r4t5y6u7i8o9p0",
        "abcdefghijklmnopqrstuvwxyz", "zyxwvutsrqponmlkjihgfedcba", "qazwsxedcrfvtgbyhnujmikolp", "!@#$%^&*()", "1234567890qwertyuiopasdfghjklzxcvbnm",
    ];

    static readonly string[] Words = ReadWords();

    static readonly HashSet<string> Common = BuildCommon();

    static string[] ReadWords()
    {
        using var stream = typeof(PasswordRules).Assembly.GetManifestResourceStream("Reach.Access.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-passwords list is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return [.. reader.ReadToEnd().Split('\n').Select(l => l.Trim().ToLowerInvariant()).Where(l => l.Length > 0 && !l.StartsWith('#'))];
    }

    static HashSet<string> BuildCommon()
    {
        var common = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words)
            foreach (var other in Words)
                common.Add(word + other);
        common.UnionWith(Words);
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
        var core = Core(lower);
        if (user is not null && Personal(user).Any(part => (part.Length >= 4 && lower.Contains(part, StringComparison.Ordinal)) || (part.Length >= 3 && core == Core(part))))
            return "Don't use your name or e-mail in your password.";
        if (Common.Contains(core) || core.Length < 4 || password.Distinct().Count() <= 2
            || Runs.Any(run => (run + run).Contains(lower, StringComparison.Ordinal) || IsRepeatOf(lower, run)))
            return "This password is among the most common ones that attackers try first (a common word with a year or symbols, a keyboard run); choose another.";
        return null;
    }

    // "Passw0rd!234" → "password", "Summer2026!!" → "summer": digits and symbols around it dropped, letter swaps undone,
    // what is left between the letters dropped. What attackers' rules add to a dictionary word, taken away again.
    static string Core(string lower)
    {
        var trimmed = lower.Trim(" 0123456789!?.,;:_-+*#%&/=~^'\"()[]{}<>|\\".ToCharArray());
        var swapped = trimmed.Replace('0', 'o').Replace('1', 'i').Replace('3', 'e').Replace('4', 'a').Replace('@', 'a').Replace('5', 's').Replace('$', 's').Replace('7', 't');
        return new string([.. swapped.Where(char.IsLetter)]);
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

    // The whole e-mail, its local part and the pieces of both (tom.becker, acme of acme.example), and the name's words.
    static IEnumerable<string> Personal(User user)
    {
        var email = (user.Email ?? "").ToLowerInvariant();
        var parts = email.Split('@');
        var domainWords = parts.Length > 1 ? parts[1].Split('.')[..^1] : [];
        return [email, parts[0], .. parts[0].Split('.', '_', '-', '+'), .. domainWords, .. user.Name.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)];
    }
}
