using PdfSharp.Fonts;

namespace Reach.Playbook;

/// <summary>
/// The font deal documents are drawn with. PDFsharp (6.2) finds no font by itself on Linux, so this resolver looks for
/// one TrueType family in the machine's font folders: Liberation Sans (Debian's <c>fonts-liberation</c>, which Chromium
/// brings along), then DejaVu Sans (<c>fonts-dejavu-core</c>), then Arial (Windows, macOS). <c>REACH_FONT_DIR</c> names a
/// folder to look in first. Every family a document asks for is drawn with the one found.
/// </summary>
public sealed class DocumentFonts : IFontResolver
{
    /// <summary>The family name documents ask for; any name resolves to the font found.</summary>
    public const string Family = "Reach Sans";

    // Each family's regular, bold, italic and bold italic files, as the packages name them.
    static readonly (string Name, string[] Files)[] Families =
    [
        ("Liberation Sans", ["LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "LiberationSans-Italic.ttf", "LiberationSans-BoldItalic.ttf"]),
        ("DejaVu Sans", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"]),
        ("Arial", ["arial.ttf", "arialbd.ttf", "ariali.ttf", "arialbi.ttf"]),
        ("Arial", ["Arial.ttf", "Arial Bold.ttf", "Arial Italic.ttf", "Arial Bold Italic.ttf"]),
    ];

    static readonly Lock Gate = new();
    static DocumentFonts? installed;

    readonly string[] faces;

    DocumentFonts(string name, string[] faces) => (FamilyFound, this.faces) = (name, faces);

    /// <summary>The family found on this machine (for the operator's docs and errors).</summary>
    public string FamilyFound { get; }

    /// <summary>
    /// Installs the resolver for the process once. Throws <see cref="DocumentFontException"/> saying what to install when
    /// the machine has none of the families.
    /// </summary>
    public static DocumentFonts Install()
    {
        lock (Gate)
        {
            if (installed is not null)
                return installed;
            var found = Find() ?? throw new DocumentFontException(
                "No font to draw documents with: install Liberation Sans (Debian: apt-get install fonts-liberation) or DejaVu Sans (fonts-dejavu-core), or set REACH_FONT_DIR to a folder holding LiberationSans-Regular.ttf and its bold and italic faces.");
            installed = found;
            GlobalFontSettings.FontResolver = found;
            return found;
        }
    }

    static DocumentFonts? Find()
    {
        var folders = new List<string>();
        if (Environment.GetEnvironmentVariable("REACH_FONT_DIR") is { Length: > 0 } configured)
            folders.Add(configured);
        folders.AddRange([
            "/usr/share/fonts", "/usr/local/share/fonts",
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local/share/fonts"),
            Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
            "/Library/Fonts", "/System/Library/Fonts/Supplemental",
        ]);
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var folder in folders.Where(f => f.Length > 0 && Directory.Exists(f)))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*.ttf", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                files.TryAdd(Path.GetFileName(file), file);
        }
        foreach (var (name, names) in Families)
        {
            if (names.All(files.ContainsKey))
                return new DocumentFonts(name, [.. names.Select(n => files[n])]);
        }
        return null;
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(((bold ? 1 : 0) + (italic ? 2 : 0)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public byte[]? GetFont(string faceName) => File.ReadAllBytes(faces[int.Parse(faceName, System.Globalization.CultureInfo.InvariantCulture)]);
}

/// <summary>No font to draw a document with; the message says what to install.</summary>
public sealed class DocumentFontException(string message) : Exception(message);
