using Microsoft.OpenApi;

namespace Reach.Web.Api;

public static class OpenApiBodies
{
    /// <summary>
    /// Documents a JSON request body read by hand (<see cref="JsonBody"/>). Accepts metadata would
    /// do it too, but it also makes routing answer a wrong Content-Type with a bare 415 instead of
    /// our problem that says what to send.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<TBody>(this RouteHandlerBuilder endpoint, string description) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(TBody), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
