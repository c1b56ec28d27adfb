namespace Reach.Web.Api;

/// <summary>An HTTP error with a reason, thrown where it is found and turned into problem+json once.</summary>
public sealed class ApiException(int status, string detail, string? field = null) : Exception(detail)
{
    public int Status { get; } = status;
    public string? Field { get; } = field;

    public static ApiException NotFound(string what, Guid id) => new(StatusCodes.Status404NotFound, $"No {what} has the id {id}.");

    public static ApiException Stale(string etag) =>
        new(StatusCodes.Status412PreconditionFailed, $"The record changed since you read it (its ETag is now {etag}). Read it again and reapply your change.");
}
