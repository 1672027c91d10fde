package reportgen_test

import (
	"fmt"

	"gongwen/gen/reportgen"
)

func ExampleGenerate() {
	for i := range 3 {
		rep := reportgen.Generate(2024, i)
		fmt.Println(rep.Organ, rep.Year)
	}
	// Output:
	// 黟县发展和改革局 2024
	// 㮾梨街道办事处 2024
	// 筠连镇人民政府 2024
}

func ExampleBreak() {
	rep := reportgen.Generate(2024, 0)
	if err := reportgen.Break(rep, reportgen.R4, 2024, 0); err != nil {
		fmt.Println(err)
	}
	fmt.Println(rep.ReviewLitigation.Review.Total.Value() != rep.ReviewLitigation.Review.Sum())
	// Output: true
}
