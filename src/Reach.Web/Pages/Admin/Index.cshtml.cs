using Reach.Data;

namespace Reach.Web.Pages.Admin;

/// <summary>The administration pages, one card each.</summary>
public sealed class IndexModel(ReachDb db) : AdminPage(db)
{
    public void OnGet()
    {
    }
}
