namespace Platform.Features;

internal sealed partial class EntityState
{
    /// <summary>Writes the whole state. Hours are delta-coded and counts 7-bit coded: a sparse SKU takes tens of bytes.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(LatestTicks);
        writer.Write(FoldedThrough);
        writer.Write(FoldedMaxTicks);
        writer.Write(FoldedHour);
        writer.Write(_ewma.Started);
        writer.Write(_ewma.Mean);
        writer.Write(_ewma.Variance);
        writer.Write(_ewma.NextHour);
        writer.Write7BitEncodedInt(_ewma.EmptyRun);

        writer.Write7BitEncodedInt(_bucketCount);
        var previousHour = 0;
        for (var i = 0; i < _bucketCount; i++)
        {
            ref readonly var b = ref _buckets[i];
            if (i == 0) writer.Write(b.Hour);
            else writer.Write7BitEncodedInt(b.Hour - previousHour);
            previousHour = b.Hour;
            writer.Write7BitEncodedInt64(ZigZag(b.Net));
            writer.Write7BitEncodedInt(b.SaleLines);
            writer.Write7BitEncodedInt(b.CancelLines);
            writer.Write7BitEncodedInt64(b.CancelUnits);
            writer.Write7BitEncodedInt(b.PromoLines);
            writer.Write7BitEncodedInt64(b.PriceSum);
        }

        writer.Write7BitEncodedInt(PendingCount);
        for (var i = _pendingHead; i < _pendingEnd; i++)
        {
            ref readonly var p = ref _pending[i];
            writer.Write(p.Ticks);
            writer.Write7BitEncodedInt64(ZigZag(p.Quantity));
            writer.Write7BitEncodedInt64(p.UnitPrice);
            writer.Write((byte)((p.HasCustomer ? 1 : 0) | (p.Promotion ? 2 : 0)));
            if (p.HasCustomer) writer.Write(p.Customer);
        }

        writer.Write7BitEncodedInt(CustomerCount);
        if (_customers is not null)
        {
            // Sorted, so equal states give equal bytes.
            foreach (var (customer, lastHour) in _customers.OrderBy(c => c.Key))
            {
                writer.Write(customer);
                writer.Write(lastHour);
            }
        }
    }

    public static EntityState Read(string key, BinaryReader reader)
    {
        var state = new EntityState(key)
        {
            LatestTicks = reader.ReadInt64(),
            FoldedThrough = reader.ReadInt64(),
            FoldedMaxTicks = reader.ReadInt64(),
            FoldedHour = reader.ReadInt32(),
        };
        state._ewma = new Ewma
        {
            Started = reader.ReadBoolean(),
            Mean = reader.ReadDouble(),
            Variance = reader.ReadDouble(),
            NextHour = reader.ReadInt32(),
            EmptyRun = reader.Read7BitEncodedInt(),
        };

        var buckets = reader.Read7BitEncodedInt();
        state._buckets = new HourBucket[Math.Max(4, buckets)];
        var hour = 0;
        for (var i = 0; i < buckets; i++)
        {
            hour = i == 0 ? reader.ReadInt32() : hour + reader.Read7BitEncodedInt();
            state._buckets[i] = new HourBucket
            {
                Hour = hour,
                Net = UnZigZag(reader.Read7BitEncodedInt64()),
                SaleLines = reader.Read7BitEncodedInt(),
                CancelLines = reader.Read7BitEncodedInt(),
                CancelUnits = reader.Read7BitEncodedInt64(),
                PromoLines = reader.Read7BitEncodedInt(),
                PriceSum = reader.Read7BitEncodedInt64(),
            };
        }

        state._bucketCount = buckets;

        var pending = reader.Read7BitEncodedInt();
        state._pending = new PendingLine[Math.Max(4, pending)];
        for (var i = 0; i < pending; i++)
        {
            var ticks = reader.ReadInt64();
            var quantity = checked((int)UnZigZag(reader.Read7BitEncodedInt64()));
            var price = reader.Read7BitEncodedInt64();
            var flags = reader.ReadByte();
            var hasCustomer = (flags & 1) != 0;
            state._pending[i] = new PendingLine
            {
                Ticks = ticks,
                Quantity = quantity,
                UnitPrice = price,
                HasCustomer = hasCustomer,
                Promotion = (flags & 2) != 0,
                Customer = hasCustomer ? reader.ReadUInt64() : 0,
            };
        }

        state._pendingEnd = pending;

        var customers = reader.Read7BitEncodedInt();
        if (customers > 0)
        {
            state._customers = new Dictionary<ulong, int>(customers);
            for (var i = 0; i < customers; i++)
            {
                var customer = reader.ReadUInt64();
                var lastHour = reader.ReadInt32();
                state._customers[customer] = lastHour;
                state.CountCustomerAt(lastHour);
            }
        }

        return state;
    }

    private static long ZigZag(long value) => (value << 1) ^ (value >> 63);

    private static long UnZigZag(long value) => (long)((ulong)value >> 1) ^ -(value & 1);
}
