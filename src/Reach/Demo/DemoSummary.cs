using Reach.Data;

namespace Reach.Demo;

/// <summary>A user of the demo workspace, for the CLI to print. Passwords are set elsewhere.</summary>
public sealed record DemoLogin(string Email, string Name, UserRole Role);

/// <summary>What <see cref="DemoWorkspace.SeedAsync"/> stored.</summary>
public sealed record DemoSummary(
    int Users,
    int Teams,
    int Products,
    int Accounts,
    int Contacts,
    int Leads,
    int Deals,
    int DealStageChanges,
    int DealLineItems,
    int Activities,
    IReadOnlyList<DemoLogin> Logins);
