using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reach.Tests.Infrastructure;

public static class Json
{
    static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public static StringContent Body(object value) => new(JsonSerializer.Serialize(value, Web), Encoding.UTF8, "application/json");

    public static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static async Task<HttpResponseMessage> PatchAsync(this HttpClient http, string url, object body, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Body(body) };
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await http.SendAsync(request);
    }

    public static Guid Id(this JsonObject record) => Guid.Parse((string)record["id"]!);
}
