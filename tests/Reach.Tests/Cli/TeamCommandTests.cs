using Microsoft.EntityFrameworkCore;
using Reach.Data;
using Xunit;
using static Reach.Tests.Infrastructure.CliRunner;

namespace Reach.Tests.Cli;

/// <summary>`reach team …` and `reach user import` against a workspace file, as an admin at the console.</summary>
public sealed class TeamCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("reach-cli-").FullName;

    string Db => Path.Combine(directory, "reach.db");

    ReachDb Open() => Database.Sqlite(Db).Open();

    [Fact]
    public void AnAdminAddsListsRenamesAndRemovesATeam()
    {
        Assert.Equal(0, Run("user", "add", "mia@acme.example", "--name", "Mia Manager", "--role", "Manager", "--db", Db).Exit);

        var (exit, output, error) = Run("team", "add", "Hunters", "--manager", "mia@acme.example", "--channel", "inside", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("Added the team Hunters.", output);

        var list = Run("team", "list", "--db", Db).Output;
        Assert.Matches(@"Hunters\s+inside\s+Mia Manager\s+0", list);

        Assert.Equal(2, Run("team", "add", "hunters", "--db", Db).Exit);
        var badChannel = Run("team", "add", "Farmers", "--channel", "carrier-pigeon", "--db", Db);
        Assert.Equal(2, badChannel.Exit);
        Assert.Contains("expected inside, field or self_service", badChannel.Error);

        (exit, output, error) = Run("team", "rename", "Hunters", "Hunters EU", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("Renamed the team Hunters to Hunters EU.", output);

        Assert.Equal(0, Run("user", "add", "tom@acme.example", "--name", "Tom Rep", "--team", "Hunters EU", "--db", Db).Exit);
        var refused = Run("team", "remove", "Hunters EU", "--db", Db);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("has 1 member(s) (Tom Rep); move them to another team first", refused.Error);

        Assert.Equal(0, Run("user", "disable", "tom@acme.example", "--db", Db).Exit);
        using (var db = Open())
        {
            var tom = db.Users.Single(u => u.Email == "tom@acme.example");
            tom.TeamId = null;
            db.SaveChanges();
        }
        (exit, output, error) = Run("team", "remove", "Hunters EU", "--db", Db);
        Assert.True(exit == 0, error);
        Assert.Contains("Removed the team Hunters EU.", output);
        Assert.Contains("No teams yet", Run("team", "list", "--db", Db).Output);
        Assert.Contains("No team is named 'Ghosts'", Run("team", "remove", "Ghosts", "--db", Db).Error);
    }

    [Fact]
    public void ImportingUsersMakesTeamsManagersAndInviteLinksAndRunningItAgainChangesNothing()
    {
        var file = Path.Combine(directory, "users.csv");
        File.WriteAllText(file, """
            Email,Name,Role,Team,Manager,Channel
            mia@acme.example,Mia Manager,manager,Hunters,,
            tom@acme.example,Tom Rep,rep,Hunters,mia@acme.example,inside
            "fay@acme.example","Fay, Field",Rep,Farmers,,field
            ada@acme.example,Ada Admin,admin,,,
            """);

        var (exit, output, error) = Run("user", "import", file, "--db", Db);

        Assert.True(exit == 0, error);
        Assert.Equal(4, output.Split("/invite?user=").Length - 1);
        Assert.Contains("row 3: added Fay, Field <fay@acme.example> as rep", output);
        Assert.Contains("4 user(s) added, 0 unchanged; teams added: Hunters, Farmers.", output);
        string Stored()
        {
            using var db = Open();
            var users = db.Users.Include(u => u.Team).OrderBy(u => u.Email).Select(u => $"{u.Email}:{u.Role}:{u.Team!.Name}:{u.Channel}:{u.SecurityStamp}").ToList();
            var teams = db.Teams.OrderBy(t => t.Name).Select(t => $"{t.Name}:{db.Users.Where(u => u.Id == t.ManagerId).Select(u => u.Email).FirstOrDefault()}").ToList();
            return string.Join("\n", [.. users, .. teams, db.AuditEntries.Count().ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }
        var first = Stored();
        Assert.Contains("Hunters:mia@acme.example", first);
        Assert.Contains("tom@acme.example:Rep:Hunters:Inside", first);

        (exit, output, error) = Run("user", "import", file, "--db", Db);

        Assert.True(exit == 0, error);
        Assert.DoesNotContain("/invite?user=", output);
        Assert.Contains("0 user(s) added, 4 unchanged.", output);
        Assert.Equal(first, Stored());
    }

    [Fact]
    public void AnImportWithABadRowWritesNothingAndNamesTheRow()
    {
        var file = Path.Combine(directory, "users.csv");
        File.WriteAllText(file, """
            email,name,role,team,manager
            ok@acme.example,Okay,rep,Hunters,
            bad-address,Bad,rep,,
            rep@acme.example,Rep,rep,Farmers,ok@acme.example
            """);

        var (exit, _, error) = Run("user", "import", file, "--db", Db);

        Assert.Equal(2, exit);
        Assert.Contains("rows[2].email", error);
        Assert.Contains("rows[3].manager: ok@acme.example is a rep", error);
        using var db = Open();
        Assert.False(db.Users.Any());
        Assert.False(db.Teams.Any());
        Assert.Contains("Unknown column 'nickname'", Run("user", "import", WriteFile("email,nickname\n"), "--db", Db).Error);
    }

    string WriteFile(string text)
    {
        var path = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
