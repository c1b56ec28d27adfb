using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Reach.Web.Api;

/// <summary>
/// Reads request bodies strictly: JSON objects only, a size cap, no duplicate keys, no unknown
/// fields, no numbers in strings. Errors surface as <see cref="JsonException"/> or <see cref="ApiException"/>.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    static readonly JsonDocumentOptions DocumentOptions = new() { AllowDuplicateProperties = false, MaxDepth = 32 };

    public static JsonSerializerOptions Options(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, "Send the body as JSON with Content-Type: application/json.");
        if (request.ContentLength > MaxBytes)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is {request.ContentLength} bytes; the limit is {MaxBytes}.");

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw new ApiException(StatusCodes.Status413PayloadTooLarge, $"The body is larger than the limit of {MaxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        if (buffer.Length == 0)
            throw new ApiException(StatusCodes.Status400BadRequest, "The body is empty; send a JSON object.", "body");

        var bytes = buffer.ToArray();
        RefuseLoneSurrogates(bytes);
        var node = JsonNode.Parse(bytes, documentOptions: DocumentOptions);
        return node as JsonObject
            ?? throw new ApiException(StatusCodes.Status400BadRequest, "The body must be a JSON object.", "body");
    }

    /// <summary>
    /// JSON may escape half of a UTF-16 pair ("\ud800"), which no string can hold: System.Text.Json parses it and
    /// only fails when the value is read, deep in a handler. Every string is read once here, so the caller gets a
    /// 400 naming the field instead.
    /// </summary>
    static void RefuseLoneSurrogates(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = DocumentOptions.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        var field = "body";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String))
                    continue;
                try
                {
                    if (reader.TokenType == JsonTokenType.PropertyName)
                        field = reader.GetString() ?? field;
                    else if (reader.ValueIsEscaped)
                        _ = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    throw new ApiException(StatusCodes.Status400BadRequest,
                        "holds a lone UTF-16 surrogate escape (such as \\ud800 without its pair); send whole characters.", field);
                }
            }
        }
        catch (JsonException)
        {
            // Malformed JSON: JsonNode.Parse reports it with its position.
        }
    }

    /// <summary>Reads, deserializes and validates (DataAnnotations) a body of type <typeparamref name="T"/>.</summary>
    public static async Task<T> ReadAsync<T>(HttpContext http, CancellationToken cancellationToken) where T : class
    {
        var body = await ReadObjectAsync(http.Request, cancellationToken);
        var value = Deserialize<T>(body, Options(http));
        Reach.Data.InputRules.Validate(value);
        return value;
    }

    public static T Deserialize<T>(JsonObject body, JsonSerializerOptions options) =>
        body.Deserialize<T>(options) ?? throw new ApiException(StatusCodes.Status400BadRequest, "The body must be a JSON object.", "body");

    /// <summary>RFC 7396 merge patch: fields in <paramref name="patch"/> replace those of <paramref name="target"/>; null clears.</summary>
    public static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing)
                Merge(existing, inner);
            else
                target[key] = value?.DeepClone();
        }
    }
}
