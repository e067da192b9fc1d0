// The R built-ins: one table row per set (see rsets.hpp). The doc strings quote the R help pages of the
// packages (?Sonar etc.; Rscript -e "tools::Rd2txt(utils:::.getHelpFile(help('Sonar', package='mlbench')))").
#include "data/rsets.hpp"

#include <cctype>
#include <filesystem>

#include "data/rdata.hpp"

namespace actlab::data {
namespace {

constexpr const char* kUci = "GPL-2 package; data from the UCI ML repository";

RSet set(std::string name, std::string object, std::string package, std::string description,
         std::string target, std::vector<std::string> drop, std::vector<std::string> as_integer,
         std::string why, std::size_t rows, std::size_t features, int classes, std::size_t raw_rows,
         std::string doc, std::string licence = kUci) {
  RSet s;
  s.name = std::move(name);
  s.object = std::move(object);
  s.package = std::move(package);
  s.description = std::move(description);
  s.plan.target = std::move(target);
  s.plan.drop = std::move(drop);
  s.plan.as_integer = std::move(as_integer);
  s.why = std::move(why);
  s.task = classes > 0 ? Task::kClassification : Task::kRegression;
  s.plan.task = s.task;
  s.rows = rows;
  s.features = features;
  s.classes = classes;
  s.raw_rows = raw_rows;
  s.doc = std::move(doc);
  s.licence = std::move(licence);
  return s;
}

std::vector<RSet> make_table() {
  const std::vector<std::string> none;
  std::vector<RSet> t = {
      // ---- classification ----
      set("breast-cancer-wisconsin", "BreastCancer", "mlbench",
          "UCI Wisconsin breast cancer (original, 1992): 9 cytology scores", "Class", {"Id"},
          {"Cl.thickness", "Cell.size", "Cell.shape", "Marg.adhesion", "Epith.c.size", "Bare.nuclei",
           "Bl.cromatin", "Normal.nucleoli", "Mitoses"},
          "Id (sample code) left out; the nine 1-10 scores as their numbers (R has five as ordered, four as "
          "plain factors)",
          683, 9, 2, 699,
          "?BreastCancer: 699 observations on 11 variables, one a character variable, 9 ordered or nominal, "
          "1 target class (benign, malignant); 16 missing attribute values"),
      set("dna", "DNA", "mlbench", "UCI StatLog DNA splice junctions: 60 bases as 180 binary indicators",
          "Class", none, none, "the 180 binary factors become one 0/1 column each", 3186, 180, 3, 3186,
          "?DNA: 3,186 observations on 180 variables, all nominal, and a target class; 3 classes (ei, ie, "
          "neither)"),
      set("glass", "Glass", "mlbench", "UCI glass identification: 9 oxide contents and refractive index",
          "Type", none, none, "all numeric; 6 of the 7 glass types occur", 214, 9, 6, 214,
          "?Glass: 214 observations on 10 variables; Type: type of glass (class attribute)"),
      set("house-votes-84", "HouseVotes84", "mlbench", "UCI 1984 US Congress votes: 16 yes/no votes", "Class",
          none, none, "each vote y/n is one 0/1 column; unrecorded votes (NA) get indicators", 435, 32, 2,
          435, "?HouseVotes84: 435 observations on 17 variables; Class: democrat or republican"),
      set("ionosphere", "Ionosphere", "mlbench", "UCI Johns Hopkins ionosphere radar returns", "Class", none,
          none, "V1 (binary factor) one 0/1 column; V2 is constant (0) and dropped", 351, 33, 2, 351,
          "?Ionosphere: 351 observations on 35 independent variables, 34 numerical and a target class (good, "
          "bad)"),
      set("letter-recognition", "LetterRecognition", "mlbench", "UCI letter recognition: 16 features of A-Z",
          "lettr", none, none, "all numeric", 20000, 16, 26, 20000,
          "?LetterRecognition: 20,000 observations on 17 variables, the first (lettr) a factor with levels "
          "A-Z"),
      set("pima-diabetes", "PimaIndiansDiabetes", "mlbench", "UCI Pima Indians diabetes (zeros as recorded)",
          "diabetes", none, none, "all numeric; the impossible zeros are kept as the file has them", 768, 8,
          2, 768,
          "?PimaIndiansDiabetes: 768 observations on 9 variables; diabetes: test for diabetes (neg, pos)"),
      set("pima-diabetes-2", "PimaIndiansDiabetes2", "mlbench",
          "UCI Pima Indians diabetes, impossible zeros as NA", "diabetes", none, none,
          "all numeric; NA in 5 columns (49 % of rows): indicators + training means", 768, 13, 2, 768,
          "?PimaIndiansDiabetes: 768 observations on 9 variables; PimaIndiansDiabetes2 has zeros set to NA"),
      set("satellite", "Satellite", "mlbench", "UCI StatLog Landsat satellite: 3x3 pixels, 4 spectral bands",
          "classes", none, none, "all numeric", 6435, 36, 6, 6435,
          "?Satellite: 36 inputs (x.1 ... x.36) and one target (classes); 6 classes"),
      set("shuttle", "Shuttle", "mlbench", "UCI StatLog shuttle: radiator valve states", "Class", none, none,
          "all numeric; very unbalanced (78.6 % Rad.Flow)", 58000, 9, 7, 58000,
          "?Shuttle: 58,000 observations on 9 numerical independent variables and 1 target class with 7 "
          "levels"),
      set("sonar", "Sonar", "mlbench", "UCI sonar: mines vs rocks, 60 frequency bands", "Class", none, none,
          "all numeric", 208, 60, 2, 208,
          "?Sonar: 208 observations on 61 variables, all numerical and one (the Class) nominal (M, R)"),
      set("soybean", "Soybean", "mlbench", "UCI large soybean disease database: 35 categorical attributes",
          "Class", none, {"plant.stand", "precip", "temp", "germ", "leaf.size"},
          "the 5 ordered factors as integers, the 30 nominal ones one-hot; NA (18 % of rows): indicators + "
          "training means",
          683, 109, 19, 683,
          "?Soybean: 683 observations on 36 variables: 35 categorical attributes and a nominal class; 19 "
          "classes"),
      set("vehicle", "Vehicle", "mlbench", "UCI StatLog vehicle silhouettes", "Class", none, none,
          "all numeric", 846, 18, 4, 846,
          "?Vehicle: 846 observations on 19 variables, all numerical and one nominal (Class: bus, opel, "
          "saab, "
          "van)"),
      set("vowel", "Vowel", "mlbench", "UCI Deterding vowel recognition: 10 log area ratios", "Class", {"V1"},
          none, "V1 (the speaker, 66 rows each of 15) left out: the task is speaker-independent", 990, 9, 11,
          990,
          "?Vowel: 990 observations on 10 independent variables, one nominal and the others numerical, and 1 "
          "as the target class (11 vowels)"),
      set("zoo", "Zoo", "mlbench", "UCI zoo: 15 boolean traits and legs of 101 animals", "type", none, none,
          "15 logical columns as 0/1, legs as a number", 101, 16, 7, 101,
          "?Zoo: 17 (mostly logical) variables on 101 animals; type: 7 classes"),
      set("income", "income", "kernlab", "Income of US households from a marketing survey (ESL)", "INCOME",
          none, {"AGE", "EDUCATION", "AREA", "HOUSEHOLD.SIZE", "UNDER18"},
          "INCOME's 9 ordered brackets are the classes; 5 ordered factors as integers, 8 nominal one-hot; NA "
          "(24 % of rows): indicators + training means",
          8993, 51, 9, 8993,
          "?income: a data frame with 14 categorical variables (8993 observations); INCOME in 9 levels",
          "GPL-2 package; survey data from Impact Resources (Hastie, Tibshirani & Friedman, ESL)"),
      set("musk", "musk", "kernlab", "UCI musk (version 1): 166 shape features of molecules", "Class", none,
          none, "all numeric", 476, 166, 2, 476,
          "?musk: 476 observations on 167 variables; Class: musk (1) or not (0)"),
      set("promoter-gene", "promotergene", "kernlab", "UCI E. coli promoter gene sequences: 57 bases",
          "Class", none, none, "the 57 bases (a, c, g, t) one-hot", 106, 228, 2, 106,
          "?promotergene: 106 observations and 58 variables; Class: + (promoter) or -"),
      set("spam", "spam", "kernlab", "UCI spambase: word and character frequencies of e-mails", "type", none,
          none, "all numeric", 4601, 57, 2, 4601,
          "?spam: 4601 observations and 58 variables; type: spam or nonspam"),
      set("ticdata", "ticdata", "kernlab", "CoIL 2000 insurance: who buys a caravan policy", "CARAVAN", none,
          {"MGODRK",   "MGODPR",   "MGODOV",   "MGODGE",   "MRELGE",   "MRELSA",   "MRELOV",   "MFALLEEN",
           "MFGEKIND", "MFWEKIND", "MOPLHOOG", "MOPLMIDD", "MOPLLAAG", "MBERHOOG", "MBERZELF", "MBERBOER",
           "MBERMIDD", "MBERARBG", "MBERARBO", "MSKA",     "MSKB1",    "MSKB2",    "MSKC",     "MSKD",
           "MHHUUR",   "MHKOOP",   "MAUT1",    "MAUT2",    "MAUT0",    "MZFONDS",  "MZPART",   "MINKM30",
           "MINK3045", "MINK4575", "MINK7512", "MINK123M", "MINKGEM",  "MKOOPKLA", "PWAPART",  "PWABEDR",
           "PWALAND",  "PPERSAUT", "PBESAUT",  "PMOTSCO",  "AAUT",     "PAANHANG", "PTRACTOR", "PWERKT",
           "PBROM",    "PLEVEN",   "PPERSONG", "PGEZONG",  "PWAOREG",  "PBRAND",   "PZEILPL",  "PPLEZIER",
           "PFIETS",   "PINBOED",  "PBYSTAND"},
          "59 ordered factors as integers, 3 nominal one-hot; rows 5823..9822 are the challenge's test set",
          9822, 137, 2, 9822,
          "?ticdata: 9822 customer records of 86 variables; training set 5822 customers, test set 4000",
          "GPL-2 package; CoIL 2000 data (Sentient Machine Research) via UCI"),
      // ---- regression ----
      set("boston-housing", "BostonHousing", "mlbench", "Boston housing values (Harrison & Rubinfeld 1978)",
          "medv", none, none, "chas (binary factor) one 0/1 column", 506, 13, 0, 506,
          "?BostonHousing: 506 observations on 14 variables, medv the target"),
      set("boston-housing-2", "BostonHousing2", "mlbench", "Boston housing, corrected values with locations",
          "cmedv", {"medv", "town", "tract"}, none,
          "target the corrected cmedv; medv (the uncorrected target), town and tract (IDs) left out", 506, 15,
          0, 506,
          "?BostonHousing: BostonHousing2 is the corrected version with additional spatial information"),
      set("ozone", "Ozone", "mlbench", "Los Angeles daily maximum ozone, 1976", "V4", none, {"V2"},
          "month (V1) and weekday (V3) one-hot, day of month (V2) a number; rows without V4 dropped; NA: "
          "indicators + training means",
          361, 36, 0, 366, "?Ozone: 366 observations on 13 variables, each observation one day"),
      set("servo", "Servo", "mlbench", "UCI servo rise time", "Class", none, {"Pgain", "Vgain"},
          "Motor and Screw one-hot; Pgain and Vgain as their numbers", 167, 12, 0, 167,
          "?Servo: 167 observations on 5 variables, 4 nominal and 1 as the target class"),
  };
  for (RSet& s : t) {
    if (s.object == "ticdata") s.plan.test_start = 5822;  // ?ticdata: the first 5822 records are training
    if (s.object == "BreastCancer") s.missing = "16 rows (2.3 %) dropped";
    if (s.object == "HouseVotes84") s.missing = "imputed: 203 rows (46.7 %)";
    if (s.object == "PimaIndiansDiabetes2") s.missing = "imputed: 376 rows (49.0 %)";
    if (s.object == "Soybean") s.missing = "imputed: 121 rows (17.7 %)";
    if (s.object == "income") s.missing = "imputed: 2117 rows (23.5 %)";
    if (s.object == "Ozone") s.missing = "5 rows without target dropped; imputed: 158 rows (43.8 %)";
  }
  return t;
}

std::string normalise(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string RSet::file(const std::string& dir) const {
  return (std::filesystem::path(dir) / package / "data" / (object + ".rda")).string();
}

const std::vector<RSet>& r_sets() {
  static const std::vector<RSet> table = make_table();
  return table;
}

const RSet* find_r_set(const std::string& name) {
  const std::string n = normalise(name);
  for (const RSet& s : r_sets())
    if (n == s.name || n == normalise(s.object)) return &s;
  return nullptr;
}

Result<Dataset> load_r_set(const RSet& s, const std::string& dir, FrameReport* report) {
  const std::string path = s.file(dir);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Status::not_found(s.name + ": " + path + " not found; it comes with the Debian package " +
                             s.debian_package() + " (apt-get install " + s.debian_package() + ")");
  }
  auto frame = read_rdata_object(path, s.object);
  if (!frame) return frame.status();
  FrameReport rep;
  auto ds = encode_frame(*frame, s.plan, &rep);
  if (!ds) return ds.status();
  ds->name = s.name;
  ds->source = path + " (Debian package " + s.debian_package() + ")";
  if (ds->rows() != s.rows || ds->features() != s.features || ds->classes() != s.classes) {
    return Status::invalid(path + ": expected " + std::to_string(s.rows) + " rows, " +
                           std::to_string(s.features) + " features and " + std::to_string(s.classes) +
                           " classes for " + s.name + " after preparation, found " +
                           std::to_string(ds->rows()) + ", " + std::to_string(ds->features()) + " and " +
                           std::to_string(ds->classes()));
  }
  if (report) *report = std::move(rep);
  return ds;
}

}  // namespace actlab::data
