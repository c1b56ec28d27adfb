using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Reach.Routing;

/// <summary>The route and tier columns of accounts and leads, mapped the same way on both.</summary>
static class RouteColumns
{
    public static void Map<T>(EntityTypeBuilder<T> entity) where T : class, IRouted
    {
        entity.Property(e => e.ExpectedAcv).HasPrecision(18, 2);
        entity.Property(e => e.Segment).HasMaxLength(100);
        entity.Property(e => e.RoutedChannel).HasMaxLength(100);
        entity.Property(e => e.RouteAction).HasMaxLength(40);
        entity.Property(e => e.RouteReason).HasMaxLength(400);
        // The lists filter by these.
        entity.HasIndex(e => e.Segment);
        entity.HasIndex(e => e.RoutedChannel);
    }

    public static void MapTier<T>(EntityTypeBuilder<T> entity) where T : class, ITiered
    {
        entity.Property(e => e.Tier).HasConversion<string>().HasMaxLength(1);
        entity.Property(e => e.TierReason).HasMaxLength(400);
    }
}
