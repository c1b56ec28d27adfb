using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Reach.Access;
using Reach.Data;

namespace Reach.Web.Access;

/// <summary>
/// Keeps the Data Protection key ring (session cookies, invite links) in the workspace database, so
/// a restart, the CLI and a second server all share it.
/// </summary>
public sealed class ProtectionKeyStore(Database database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = database.Open();
        return [.. db.ProtectionKeys.Select(k => k.Xml).ToList().Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = database.Open();
        db.ProtectionKeys.Add(new ProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

/// <summary>
/// The certificate that encrypts the stored keys. It lives in a file beside the database (mode 0600),
/// not in it: a copy of the database alone cannot forge a session.
/// </summary>
public static class KeyCertificate
{
    /// <summary>Reach:KeyCertificate, else beside a SQLite workspace (FILE.keys.pfx), else reach-keys.pfx in the working directory.</summary>
    public static string PathFor(IConfiguration configuration, Database database) =>
        configuration["Reach:KeyCertificate"] is { Length: > 0 } configured ? configured
            : database.Provider == DatabaseProvider.Sqlite ? database.Location + ".keys.pfx" : "reach-keys.pfx";

    public static X509Certificate2 LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            using var rsa = RSA.Create(3072);
            var request = new CertificateRequest("CN=Reach data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(directory);
            var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}");
            File.WriteAllBytes(temporary, created.Export(X509ContentType.Pfx));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            try
            {
                // Two processes starting at once: the first one's certificate wins, the other's is dropped.
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                File.Delete(temporary);
            }
        }
        return X509CertificateLoader.LoadPkcs12FromFile(path, null, X509KeyStorageFlags.EphemeralKeySet);
    }
}
