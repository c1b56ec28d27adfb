namespace Reach.Web.Pages;

/// <summary>A minimal error page, for answers given outside a Razor page.</summary>
public static class StatusPage
{
    public static string Html(int status, string message) =>
        $"""<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{status} · Reach</title><link rel="stylesheet" href="/assets/reach.css"></head><body class="status"><main class="card narrow"><h1>{status}</h1><p>{System.Net.WebUtility.HtmlEncode(message)}</p><p><a href="/">Back to My day</a></p></main></body></html>""";
}
