using Microsoft.Net.Http.Headers;
using Reach.Data;
using Reach.Deals;
using Reach.Imports;
using Reach.Leads;
using Reach.Lists;

namespace Reach.Web.Api;

/// <summary>
/// <c>POST /api/v1/imports</c> (a CSV body or a multipart file; the summary and rejected rows back) and
/// <c>GET /api/v1/exports/{entity}</c> (CSV or XLSX, streamed). See docs/imports.md.
/// </summary>
public static class ImportsApi
{
    /// <summary>The largest upload: imports stream, but the body is spooled to a temporary file first (read twice).</summary>
    public const long MaxUploadBytes = 200L * 1024 * 1024;

    public static void MapImportsApi(this RouteGroupBuilder api)
    {
        api.MapPost("/imports", Import)
            .WithTags("Imports")
            .Produces<ImportSummary>(StatusCodes.Status200OK)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        api.MapGet("/exports/{entity}", Export)
            .WithTags("Imports")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesValidationProblem();
    }

    /// <summary>Imports the body; 200 with the summary even when rows were rejected (they are listed), 400 when the file is unreadable.</summary>
    public static async Task<IResult> Import(HttpContext http, ReachDb db, string? @as, string? format, string? mapping, bool? dryRun, bool? createStages, string? owner, string? encoding, CancellationToken cancellationToken)
    {
        var entity = ParseEntity(@as, "as");
        var source = SourceFormat.Auto;
        if (format is { Length: > 0 } && !Enum.TryParse(format, ignoreCase: true, out source))
            throw new ApiException(StatusCodes.Status400BadRequest, $"'{format}' is not a format: use auto, reach, hubspot, salesforce, pipedrive or csv.", "format");
        var map = http.Request.Query["map"].OfType<string>().Select(pair => (pair, eq: pair.LastIndexOf('='))).ToList();
        if (map.FirstOrDefault(m => m.eq <= 0) is { pair: { } bad })
            throw new ApiException(StatusCodes.Status400BadRequest, $"map '{bad}' is not 'Column Name=field'.", "map");

        var path = Path.GetTempFileName();
        try
        {
            await SpoolAsync(http.Request, path, cancellationToken);
            var options = new ImportOptions
            {
                Entity = entity,
                Format = source,
                Map = map.ToDictionary(m => m.pair[..m.eq].Trim(), m => m.pair[(m.eq + 1)..].Trim(), StringComparer.OrdinalIgnoreCase),
                Mapping = mapping,
                DryRun = dryRun ?? false,
                CreateStages = createStages ?? false,
                OwnerEmail = owner,
                Encoding = encoding,
            };
            try
            {
                return TypedResults.Ok(await Importer.RunAsync(db, path, options, cancellationToken: cancellationToken));
            }
            catch (ImportFileException e)
            {
                throw Problem(e);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A 400 naming the row, column and value, in <c>errors</c> (keyed by column, else "body") and as extensions.</summary>
    static InputException Problem(ImportFileException e)
    {
        var where = e.Row is { } row ? $"row {row}: " : "";
        return new InputException(e.Column ?? "body", where + e.Message);
    }

    // Enum names as the pages write them (SelfService) or as the API does (self_service); empty means any.
    static T? ParseOptional<T>(string? value, string field) where T : struct, Enum =>
        string.IsNullOrWhiteSpace(value) ? null
        : EnumNames.Parse<T>(value) ?? throw new ApiException(StatusCodes.Status400BadRequest, $"'{value}' is not a {field}: use {EnumNames.List<T>()}.", field);

    static ImportEntity ParseEntity(string? value, string field) =>
        value is { Length: > 0 } && Enum.TryParse<ImportEntity>(value, ignoreCase: true, out var entity) && !int.TryParse(value, out _)
            ? entity
            : throw new ApiException(StatusCodes.Status400BadRequest, $"'{value}' is not one of accounts, contacts, leads, deals, activities.", field);

    // text/csv (or text/plain, application/octet-stream) as the body, or the first file of a multipart form.
    static async Task SpoolAsync(HttpRequest request, string path, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxUploadBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is {request.ContentLength} bytes; the limit is {MaxUploadBytes}.");
        Stream body;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = (form.Files.Count > 0 ? form.Files[0] : null)
                ?? throw new ApiException(StatusCodes.Status400BadRequest, "The form holds no file: send the CSV as a file field.", "file");
            body = file.OpenReadStream();
        }
        else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                 && type.MediaType.Value is "text/csv" or "text/plain" or "application/csv" or "application/octet-stream")
        {
            body = request.Body;
        }
        else
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Send the CSV as the body (Content-Type: text/csv) or as a file in multipart/form-data.");
        }

        await using (body)
        await using (var file = File.Create(path))
        {
            var buffer = new byte[1 << 16];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                total += read;
                if (total > MaxUploadBytes)
                    throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the limit of {MaxUploadBytes} bytes.");
                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
    }

    /// <summary>
    /// Streams an export in Reach's import format; <c>filter=field=value</c> may repeat, and <c>q</c>, <c>owner</c> (id or e-mail), <c>channel</c>,
    /// <c>tier</c>, <c>status</c> and the route (<c>segment</c>, <c>routedChannel</c>, <c>deadZone</c>) filter as the web app's lists do (their export buttons call this).
    /// </summary>
    public static async Task Export(HttpContext http, ReachDb db, string entity, string? format, bool? bom, string? q, string? channel, string? tier, string? status,
        string? segment, string? routedChannel, bool? deadZone, string? owner, CancellationToken cancellationToken)
    {
        var what = ParseEntity(entity, "entity");
        var list = new ListFilter
        {
            Q = q,
            OwnerId = await ListFilter.OwnerIdAsync(db, owner, cancellationToken),
            Channel = ParseOptional<Channel>(channel, "channel"),
            Tier = ParseOptional<Tier>(tier, "tier"),
            DealStatus = what == ImportEntity.Deals ? ParseOptional<DealStatus>(status, "status") : null,
            LeadStatus = what == ImportEntity.Leads ? ParseOptional<LeadStatus>(status, "status") : null,
            Segment = segment,
            RoutedChannel = routedChannel,
            DeadZone = deadZone,
        };
        var xlsx = format?.ToLowerInvariant() switch
        {
            null or "" or "csv" => false,
            "xlsx" => true,
            _ => throw new ApiException(StatusCodes.Status400BadRequest, $"'{format}' is not an export format: use csv or xlsx.", "format"),
        };
        IReadOnlyList<(int, string)> filters;
        try
        {
            filters = Exporter.ParseFilters(what, http.Request.Query["filter"].OfType<string>());
        }
        catch (ImportFileException e)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, e.Message, "filter");
        }
        var name = $"{what.ToString().ToLowerInvariant()}-{db.UtcNow:yyyy-MM-dd}";
        if (!xlsx)
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.csv\"";
            await Exporter.WriteCsvAsync(db, what, filters, list, http.Response.Body, bom ?? false, cancellationToken);
            return;
        }
        // The workbook is a zip the SDK writes synchronously and with seeks: build it in a temporary file, then send that.
        var path = Path.GetTempFileName();
        try
        {
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
                await Exporter.WriteXlsxAsync(db, what, filters, list, file, cancellationToken);
            http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}.xlsx\"";
            await http.Response.SendFileAsync(path, cancellationToken);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
