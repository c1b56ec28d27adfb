using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Reach.Access;

namespace Reach.Web.Pages;

/// <summary>A page that tried a change the rules refuse answers 403 with the reason, not a crash.</summary>
public sealed class AccessDeniedPageFilter : IPageFilter
{
    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
        if (context.Exception is AccessDeniedException denied)
        {
            context.Result = new ContentResult { StatusCode = 403, ContentType = "text/html; charset=utf-8", Content = StatusPage.Html(403, denied.Message) };
            context.ExceptionHandled = true;
        }
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }
}
