package warehouse

import (
	"context"
	"fmt"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/govreport/govreport/pkg/regions"
)

// TableDivisions is the national division table (migration 0003).
const TableDivisions = "divisions"

// divisionColumns are the columns LoadDivisions writes, in order.
const divisionColumns = "code, stat_code, name, full_name, level, parent_code, province, city, county, township, " +
	"province_code, city_code, county_code, is_grouping, is_zone, is_city_itself, edition, version"

// LoadDivisions writes a division table into database.divisions, unless that edition
// is there already, and returns the number of rows written (0 when it was). The
// edition is the row version, so a later edition replaces an earlier one row by
// row. A read-only user can call it on an up-to-date database.
func LoadDivisions(ctx context.Context, conn driver.Conn, database string, t *regions.Table, edition int) (int, error) {
	if !identifier.MatchString(database) {
		return 0, fmt.Errorf("load divisions: database %q is not a plain identifier", database)
	}
	if edition < 1 || edition > 65535 {
		return 0, fmt.Errorf("load divisions: edition %d out of range", edition)
	}
	divs := t.Divisions()
	table := database + "." + TableDivisions
	var have uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM "+table+" FINAL WHERE edition = ?", uint16(edition)).Scan(&have); err != nil {
		return 0, fmt.Errorf("count divisions: %w", err)
	}
	if int(have) == len(divs) {
		return 0, nil
	}
	b, err := conn.PrepareBatch(ctx, "INSERT INTO "+table+" ("+divisionColumns+")")
	if err != nil {
		return 0, fmt.Errorf("load divisions: %w", err)
	}
	defer b.Close()
	for _, d := range divs {
		r := d.Region()
		parent := ""
		if p := d.Parent(); p != nil {
			parent = p.Code6()
		}
		var provinceCode, cityCode, countyCode string
		for x := d; x != nil; x = x.Parent() {
			switch x.Level() {
			case "province":
				provinceCode = x.Code6()
			case "city":
				cityCode = x.Code6()
			case "county":
				countyCode = x.Code6()
			}
		}
		if err := b.Append(d.Code6(), d.Code, d.Name, d.FullName(), string(d.Level()), parent,
			r.Province, r.City, r.County, r.Township, provinceCode, cityCode, countyCode,
			boolUInt8(d.Grouping()), boolUInt8(d.Zone()), boolUInt8(d.CityItself()), uint16(edition), uint64(edition)); err != nil {
			return 0, fmt.Errorf("load divisions: %s: %w", d.Code, err)
		}
	}
	if err := b.Send(); err != nil {
		return 0, fmt.Errorf("load divisions: %w", err)
	}
	return len(divs), nil
}

func boolUInt8(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}
