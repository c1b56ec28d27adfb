using System.Text;
using Microsoft.Net.Http.Headers;
using Reach.Data;
using Reach.Planning;

namespace Reach.Web.Api;

/// <summary><c>POST /api/v1/plan</c>: evaluates a posted plan and calibrates it against the workspace (docs/planner.md).</summary>
public static class PlanApi
{
    static readonly string[] PlanMediaTypes = ["application/json", "application/yaml", "text/yaml", "application/x-yaml"];

    public static void MapPlanApi(this RouteGroupBuilder api)
    {
        // No .Accepts(): routing would then match other content types to the /api/v1 fallback (404), not to the
        // handler's 415 that says which types to send.
        api.MapPost("/plan", Evaluate)
            .WithTags("Plan")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
    }

    /// <summary>The planner's JSON (snake_case, PLANNER.md) plus <c>"calibration"</c>; an invalid plan is a 400 keyed by field path.</summary>
    public static async Task<IResult> Evaluate(HttpContext http, ReachDb db, TimeProvider clock, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var text = await ReadPlanAsync(http.Request, cancellationToken);
        PlanFile plan;
        PlanResult result;
        try
        {
            plan = PlanReader.Read(text);
            result = Planner.EvaluateInFull(plan);
        }
        catch (PlanValidationException e)
        {
            throw new InputException(e.Errors
                .GroupBy(error => error.Field.Length == 0 ? "body" : error.Field)
                .ToDictionary(g => g.Key, g => g.Select(error => $"line {error.Line}: {error.Message}").ToArray()));
        }

        var calibration = await Calibration.ComputeAsync(db, plan, clock.GetUtcNow().UtcDateTime, await Reach.Access.WorkspaceSettings.CurrencyAsync(db, cancellationToken), cancellationToken);
        // The planner's own snake_case JSON, not the API's camelCase options: the keys are PLANNER.md's contract.
        return TypedResults.Text(calibration.AddTo(result), "application/json", Encoding.UTF8);
    }

    // Plans are text (YAML, or JSON which is YAML's flow style), so the body is read whole, capped like JsonBody.
    static async Task<string> ReadPlanAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
            || !PlanMediaTypes.Contains(type.MediaType.Value, StringComparer.OrdinalIgnoreCase))
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType,
                "Send the plan as YAML (Content-Type: application/yaml) or JSON (Content-Type: application/json).");
        if (request.ContentLength > JsonBody.MaxBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is {request.ContentLength} bytes; the limit is {JsonBody.MaxBytes}.");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > JsonBody.MaxBytes)
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the limit of {JsonBody.MaxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, "The body is empty; send a plan.", "body");
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
